/**
 * The languages docker-lab speaks: of the course, and of every word it shows. A module of its
 * own, at the bottom of the layers, so that every layer names a language the same way and
 * start-up paths need not load zod.
 */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGUAGES)[number];
