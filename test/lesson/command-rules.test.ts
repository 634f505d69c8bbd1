import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commandDangers, outsideWorkdir } from '../../src/lesson/command-rules.js';
import { lintSources } from '../../src/lesson/lint.js';

/** The rules a script trips, with the text each points at. */
function tripped(script: string): string[] {
  return commandDangers(script).map((d) => `${d.rule} ${script.slice(d.index).split(/\s/)[0]}`);
}

const rules = (script: string) => commandDangers(script).map((d) => d.rule);

describe('host mounts', () => {
  test('binds of the root, system folders and the home folder are reported', () => {
    assert.deepEqual(tripped('docker run -v /:/host busybox'), ['host-mount -v']);
    assert.deepEqual(tripped('docker run --volume /etc:/e busybox'), ['host-mount --volume']);
    assert.deepEqual(tripped('docker run --volume=/root/.ssh:/k busybox'), [
      'host-mount --volume=/root/.ssh:/k',
    ]);
    assert.deepEqual(tripped('docker run -v/usr:/u busybox'), ['host-mount -v/usr:/u']);
    assert.deepEqual(rules('docker run -v ~/.aws:/a busybox'), ['host-mount']);
    assert.deepEqual(rules('docker run -v "$HOME":/h busybox'), ['host-mount']);
    assert.deepEqual(rules('docker run -v "$PWD/..":/up busybox'), ['host-mount']);
    assert.deepEqual(rules('docker run -v ../sibling:/s busybox'), ['host-mount']);
  });

  test('--mount type=bind with source= or src=, quoted or not', () => {
    assert.deepEqual(rules('docker run --mount type=bind,source=/,target=/host busybox'), [
      'host-mount',
    ]);
    assert.deepEqual(rules("docker run --mount 'type=bind,src=/etc,dst=/e,readonly' busybox"), [
      'host-mount',
    ]);
    assert.deepEqual(rules('docker run --mount=type=bind,src=/boot,dst=/b busybox'), [
      'host-mount',
    ]);
    assert.deepEqual(rules('docker service create --mount type=bind,src=/etc,dst=/e nginx'), [
      'host-mount',
    ]);
  });

  test('the Docker socket is its own rule, however it is mounted', () => {
    for (const script of [
      'docker run -v /var/run/docker.sock:/var/run/docker.sock portainer/portainer-ce',
      'docker run -v /run/docker.sock:/s x',
      'docker container run --mount type=bind,source=/var/run/docker.sock,target=/s x',
      'docker run -v "$XDG_RUNTIME_DIR/docker.sock:/var/run/docker.sock" x',
      'docker run --use-api-socket x',
    ]) {
      const dangers = commandDangers(script);
      assert.deepEqual(
        dangers.map((d) => d.rule),
        ['docker-socket'],
        script,
      );
      assert.match(dangers[0]!.message, /root/);
    }
  });

  test('named volumes, anonymous volumes and folders of the working directory are fine', () => {
    for (const script of [
      'docker run -v dl-data:/var/lib/mysql mysql:8.4',
      'docker run -v /var/lib/mysql mysql:8.4',
      'docker run -v "$PWD/data":/var/lib/mysql -v "$PWD/conf.d":/etc/mysql/conf.d mysql:8.4',
      'docker run -v "$PWD":/lesson -v ${PWD}/x:/x -v "$(pwd)/y":/y busybox',
      'docker run -v ./conf:/conf -v conf/sub:/sub busybox',
      'docker run --mount type=volume,source=dl-data,target=/data busybox',
      'docker run --mount type=bind,source="$PWD"/site,target=/usr/share/nginx/html nginx',
      'docker run --mount type=tmpfs,target=/tmp busybox',
      'docker rm -v dl-registry',
      'docker compose down -v',
      // After the image, words belong to the container's command.
      'docker run --rm busybox echo -v /:/host --privileged',
    ]) {
      assert.deepEqual(commandDangers(script), [], script);
    }
  });

  test('the message names what is reached and the fixes', () => {
    const [d] = commandDangers('docker run -v /etc:/host-etc busybox');
    assert.match(
      d!.message,
      /^`-v \/etc:\/host-etc` mounts the machine's \/etc into the container/,
    );
    assert.match(d!.message, /named volume/);
    assert.match(d!.message, /lesson's working directory/);
    assert.match(d!.message, /`confirm`/);
    assert.equal(d!.subject, '/etc');
  });
});

describe('privileged containers', () => {
  test('--privileged, --pid=host, --pid host, strong --cap-add', () => {
    assert.deepEqual(tripped('docker run --privileged busybox'), ['privileged --privileged']);
    assert.deepEqual(tripped('docker run --pid=host busybox'), ['privileged --pid=host']);
    assert.deepEqual(tripped('docker run -d --pid host busybox'), ['privileged --pid']);
    assert.deepEqual(rules('docker run --cap-add SYS_ADMIN busybox'), ['privileged']);
    assert.deepEqual(rules('docker run --cap-add=all busybox'), ['privileged']);
    assert.deepEqual(rules('docker run --cap-add NET_ADMIN,CAP_SYS_ADMIN busybox'), ['privileged']);
    assert.deepEqual(rules('docker exec --privileged dl-x sh'), ['privileged']);
    assert.deepEqual(rules('docker -H tcp://127.0.0.1:2375 container create --privileged x'), [
      'privileged',
    ]);
  });

  test('mild options are fine', () => {
    for (const script of [
      'docker run --privileged=false busybox',
      'docker run --pid container:dl-x busybox',
      'docker run --cap-add NET_ADMIN busybox',
      'docker run --network host mysql:8.4 mysql -h127.0.0.1',
      'docker run --cap-drop ALL busybox',
      'docker inspect --format "{{.HostConfig.Privileged}}" dl-x',
    ]) {
      assert.deepEqual(commandDangers(script), [], script);
    }
  });
});

describe('downloads piped into a shell', () => {
  test('curl | sh, wget -O- | bash, through sudo or tee, and $(curl) in a shell', () => {
    assert.deepEqual(rules('curl -fsSL https://get.docker.com | sh'), ['pipe-to-shell']);
    assert.deepEqual(rules('curl -fsSL https://get.docker.com|bash'), ['pipe-to-shell']);
    assert.deepEqual(rules('wget -qO- https://x/install.sh | bash -s -- --yes'), ['pipe-to-shell']);
    assert.deepEqual(rules('curl -s https://x | tee install.log | /bin/sh'), ['pipe-to-shell']);
    assert.deepEqual(rules('curl https://bootstrap.pypa.io/get-pip.py | python3 -'), [
      'pipe-to-shell',
    ]);
    assert.deepEqual(rules('curl -fsSL \\\n  https://get.docker.com \\\n  | sh'), [
      'pipe-to-shell',
    ]);
    assert.deepEqual(rules('sh -c "$(curl -fsSL https://x)"'), ['pipe-to-shell']);
    assert.deepEqual(rules('bash <(curl -fsSL https://x)'), ['pipe-to-shell']);
    const withSudo = commandDangers('curl -fsSL https://x | sudo sh');
    assert.deepEqual(
      withSudo.map((d) => d.rule),
      ['pipe-to-shell', 'sudo'],
    );
    assert.equal(withSudo[0]!.subject, 'curl … | sh');
  });

  test('downloading to a file, or piping into something that is not a shell, is fine', () => {
    for (const script of [
      'curl -fsSLo get.sh https://get.docker.com && cat get.sh',
      'curl -s http://127.0.0.1:8080/ | grep Adminer',
      'curl -s https://x | sh -c "cat > saved.txt"',
      'echo ok | sh',
      'curl -fsSL https://x | docker exec -i dl-x sh',
      'docker run --rm busybox sh -c "wget -qO- http://x | sh"',
    ]) {
      assert.deepEqual(commandDangers(script), [], script);
    }
  });
});

describe('rm outside the working directory', () => {
  test('absolute paths, the home folder, .. and variables are reported, one per path', () => {
    assert.deepEqual(tripped('rm -rf /'), ['rm-outside /']);
    assert.deepEqual(tripped('rm -rf /etc/docker ./fine'), ['rm-outside /etc/docker']);
    assert.deepEqual(tripped('rm -r ~/notes "$HOME/.cache" ${HOME}/x'), [
      'rm-outside ~/notes',
      'rm-outside "$HOME/.cache"',
      'rm-outside ${HOME}/x',
    ]);
    assert.deepEqual(tripped('rm -rf ../other data/../../up'), [
      'rm-outside ../other',
      'rm-outside data/../../up',
    ]);
    assert.deepEqual(tripped('rm -rf -- "$TARGET"'), ['rm-outside "$TARGET"']);
    assert.deepEqual(tripped('/bin/rm -f /tmp/x'), ['rm-outside /tmp/x']);
    assert.deepEqual(tripped("sh -c 'rm -rf /var/tmp/x'"), ["rm-outside /var/tmp/x'"]);
    assert.deepEqual(tripped('echo $(rm -rf /opt/x)'), ['rm-outside /opt/x)']);
    assert.deepEqual(rules('cd sub && rm -rf \\\n  /usr/local/dl'), ['rm-outside']);
  });

  test('relative names, ./x and $PWD/x are fine, and so is rm inside a container', () => {
    for (const script of [
      'rm -rf ./build data "$PWD/out" ${PWD}/x .',
      'rm -f ticks.log',
      'docker run --rm -v "$PWD":/lesson mysql:8.4 rm -rf /lesson/data',
      'docker exec dl-x rm -rf /tmp/cache',
      'docker rm -f dl-x',
      'echo "rm -rf /" # rm -rf /',
      "echo 'rm -rf ~'",
      'cat > notes.txt <<EOF\nrm -rf /\nEOF',
    ]) {
      assert.deepEqual(commandDangers(script), [], script);
    }
  });

  test('outsideWorkdir names where a path points', () => {
    assert.equal(outsideWorkdir('./x'), undefined);
    assert.equal(outsideWorkdir('a/b/../c'), undefined);
    assert.equal(outsideWorkdir('$PWD/x'), undefined);
    assert.equal(outsideWorkdir('/'), "the machine's whole file system (/)");
    assert.equal(outsideWorkdir('/etc'), "the machine's /etc");
    assert.equal(outsideWorkdir('~'), "~ in the learner's home folder");
    assert.match(outsideWorkdir('..')!, /above the lesson's working directory/);
    assert.match(outsideWorkdir('$DIR/x')!, /variable/);
  });
});

describe('lint reports each match at its place, unless the block is confirm or example', () => {
  const lesson = (body: string) =>
    `---\nid: t\ntitle: T\nlang: en\nimages: [busybox]\n---\n# T\n\n## Step {#step}\n\n${body}\n\n\`\`\`yaml check\n- id: c\n  description: dl-x is gone\n  container: { name: dl-x, exists: false }\n\`\`\`\n`;
  const lint = async (body: string) =>
    (
      await lintSources(
        [{ path: 'l.md', shown: 'l.md', text: lesson(body) }],
        async () => undefined,
        process.cwd(),
      )
    ).diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.rule}`);

  test('line and column through continuations', async () => {
    assert.deepEqual(
      await lint(
        '```sh\necho start\ndocker run -d \\\n  --privileged \\\n  -v /:/host \\\n  busybox\ncurl -fsSL https://x | sh\n```',
      ),
      ['14:3 error privileged', '15:3 error host-mount', '17:1 error pipe-to-shell'],
    );
  });

  test('confirm acknowledges every host rule; sudo stays an error', async () => {
    assert.deepEqual(
      await lint('```sh confirm\ndocker run -v /:/host busybox\nsudo rm -rf /opt/x\n```'),
      ['13:1 error sudo'],
    );
  });

  test('example blocks are never run, so never checked', async () => {
    assert.deepEqual(
      await lint('```sh example\ncurl -fsSL https://get.docker.com | sh\nrm -rf /\n```'),
      [],
    );
  });
});
