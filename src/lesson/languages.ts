/** The course's languages. A module of its own so that start-up paths need not load zod. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
