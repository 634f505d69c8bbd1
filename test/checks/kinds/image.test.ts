/**
 * The `image` kind's `file`, `smallerThan` and `sizeRatio` against the real daemon (its other
 * fields are specified in test/checks/engine.daemon.test.ts), with the reports a learner reads
 * in English and Chinese. The images are the test busybox (about 2 MB) and a tiny image built
 * FROM scratch for this file, removed afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { runCheck } from '../../../src/checks/engine.js';
import { formatFailure } from '../../../src/checks/report.js';
import type { CheckResult } from '../../../src/checks/types.js';
import { IMAGE_FILE_LABEL } from '../../../src/docker/image-file.js';
import { makeCheck, makeContext } from '../../helpers/check-context.js';
import { requireDaemon } from '../../helpers/daemon.js';
import { ensureBusyboxImage } from '../../helpers/images.js';
import {
  buildScratchImage,
  removeImage,
  SCRATCH_CONTENT,
  SCRATCH_FILE,
} from '../../helpers/scratch-image.js';

const docker = new Dockerode();
const ctx = makeContext();
const zh = makeContext({ lang: 'zh-CN' });
let busybox = '';
let scratch = '';
let busyboxSize = 0;
let scratchSize = 0;

function report(result: CheckResult, lang: 'en' | 'zh-CN' = 'en'): string {
  return formatFailure({ ...result, elapsedMs: 42 }, { lang });
}

const check = (image: Record<string, unknown>) => makeCheck({ id: 'img', image });

before(async () => {
  await requireDaemon();
  busybox = await ensureBusyboxImage();
  scratch = await buildScratchImage();
  busyboxSize = (await docker.getImage(busybox).inspect()).Size;
  scratchSize = (await docker.getImage(scratch).inspect()).Size;
});
after(() => removeImage(scratch));

describe('file', () => {
  test('passes on the content and mode of a file inside the image, without running it', async () => {
    const result = await runCheck(
      check({
        name: scratch,
        file: { path: SCRATCH_FILE, content: SCRATCH_CONTENT, mode: '0640' },
      }),
      ctx,
    );
    assert.equal(result.error, undefined);
    assert.deepEqual(result.observation.mismatches, []);
    assert.equal(result.pass, true);
    const absent = await runCheck(
      check({ name: scratch, file: { path: '/etc/passwd', exists: false } }),
      ctx,
    );
    assert.equal(absent.pass, true);
  });

  test('reports what differs, each with its own field, and how to change it', async () => {
    const result = await runCheck(
      check({
        name: scratch,
        file: { path: SCRATCH_FILE, content: { contains: 'bye' }, mode: '0644' },
      }),
      ctx,
    );
    assert.equal(
      report(result),
      [
        `✗ img: image ${scratch}`,
        '  file.content: expected contains "bye"',
        '    found:',
        '    | hello from scratch',
        '  file.mode: expected equals "0644", found "0640"',
        '  tried once (42 ms)',
        `  likeliest fix: ${SCRATCH_FILE} in the image comes from its Dockerfile (COPY, ADD, RUN): change it and rebuild: docker build -t ${scratch} .`,
      ].join('\n'),
    );
    const missing = await runCheck(check({ name: scratch, file: { path: '/app/run.sh' } }), zh);
    assert.equal(
      report(missing, 'zh-CN'),
      [
        `✗ img：镜像 ${scratch}`,
        '  file.exists：期望 等于 true，实际为 false',
        '  尝试 1 次（42 毫秒）',
        `  最可能的解决办法：镜像中的 /app/run.sh 来自它的 Dockerfile（COPY、ADD、RUN）：修改后重新构建：docker build -t ${scratch} .`,
      ].join('\n'),
    );
  });

  test('a directory has no content (null), and its mode is compared', async () => {
    const result = await runCheck(
      check({ name: busybox, file: { path: '/bin', content: 'x', mode: { matches: '^07' } } }),
      ctx,
    );
    assert.deepEqual(
      result.observation.mismatches.map((m) => [m.field, m.actual]),
      [['file.content', null]],
    );
  });

  test('leaves no container behind', async () => {
    const left = await docker.listContainers({ all: true, filters: { label: [IMAGE_FILE_LABEL] } });
    assert.deepEqual(left, []);
  });
});

describe('sizes compared with another image', () => {
  test('smallerThan and sizeRatio pass for the smaller image', async () => {
    assert.ok(scratchSize < busyboxSize);
    const result = await runCheck(
      check({
        name: scratch,
        smallerThan: busybox,
        sizeRatio: { of: busybox, ratio: { lt: 0.5 } },
      }),
      ctx,
    );
    assert.deepEqual(result.observation.mismatches, []);
    assert.equal(result.pass, true);
  });

  test('fail the other way round, saying both sizes and the ratio', async () => {
    const result = await runCheck(
      check({
        name: busybox,
        smallerThan: scratch,
        sizeRatio: { of: scratch, ratio: { lt: 0.5 } },
      }),
      ctx,
    );
    const ratio = Math.round((busyboxSize / scratchSize) * 10_000) / 10_000;
    assert.equal(
      report(result),
      [
        `✗ img: image ${busybox}`,
        `  smallerThan: expected less than the size of ${scratch} (${scratchSize} bytes), found ${busyboxSize}`,
        `  sizeRatio: expected < 0.5, as its size divided by ${scratch}'s, found ${ratio}`,
        '  tried once (42 ms)',
        `  likeliest fix: make ${busybox} smaller: build in stages (FROM ... AS build) and COPY --from=build only what the program needs into a small last stage`,
      ].join('\n'),
    );
    assert.equal(
      report(await runCheck(result.check, zh), 'zh-CN').split('\n')[1],
      `  smallerThan：期望 小于 ${scratch} 的大小（${scratchSize} 字节），实际为 ${busyboxSize}`,
    );
  });

  test('a missing other image is a clear failure naming it', async () => {
    const other = 'dl-cc-no-such-image:fat';
    const result = await runCheck(
      check({ name: scratch, smallerThan: other, sizeRatio: { of: other, ratio: { lt: 1 } } }),
      ctx,
    );
    assert.equal(
      report(result),
      [
        `✗ img: image ${scratch}`,
        `  smallerThan: expected an image ${other}, found "no such image"`,
        `  sizeRatio.of: expected an image ${other}, found "no such image"`,
        '  tried once (42 ms)',
        `  likeliest fix: build it (docker build -t ${other} .) or pull it (docker pull ${other})`,
      ].join('\n'),
    );
  });
});
