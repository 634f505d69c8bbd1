import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSink } from '../../src/lesson/diagnostics.js';
import { checkImagesDeclared } from '../../src/lesson/image-rules.js';
import { parseLesson } from '../../src/lesson/parser.js';

function undeclared(images: string, ...steps: string[]): string[] {
  const text = `---\nid: t\ntitle: T\nlang: en\nimages: [${images}]\n---\n# T\n${steps
    .map((body, i) => `\n## S${i} {#s${i}}\n\n${body}\n`)
    .join('')}`;
  const { partial } = parseLesson('t.md', text);
  assert.ok(partial);
  const sink = new DiagnosticSink('t.md');
  checkImagesDeclared(partial, sink);
  return sink.items.map((d) => `${d.line}:${d.col} ${/image (\S+?),/.exec(d.message)?.[1]}`);
}

const sh = (script: string) => `\`\`\`sh\n${script}\n\`\`\``;

test('an image tagged or built in an earlier step needs no declaration; before it, it does', () => {
  assert.deepEqual(
    undeclared(
      'busybox',
      sh('docker run --rm dl-mine true'),
      sh('docker tag busybox dl-mine\ndocker build -t dl-built .'),
      sh('docker run --rm dl-mine true\ndocker run --rm dl-built:latest true'),
    ),
    ['12:17 dl-mine:latest'],
  );
});

test('inspect looks at what exists and uses no image; a variable is not an image name', () => {
  assert.deepEqual(
    undeclared(
      '',
      sh('docker inspect dl-thing\ndocker image inspect hello-world\ndocker run --rm "$IMAGE"'),
    ),
    [],
  );
});

test('each undeclared image is reported once, at its first use', () => {
  assert.deepEqual(
    undeclared('', sh('docker pull redis:7\ndocker run -d redis:7'), sh('docker run --rm redis:7')),
    ['12:13 redis:7'],
  );
});
