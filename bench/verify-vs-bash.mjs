// Benchmark for issue 5: `docker-lab verify` of the course against a bash script doing the same
// work with the docker CLI, measured in the same run (machines differ; ratios travel). Target:
// docker-lab takes at most 1.10x the time of the bash script.
//
// Run: node --import tsx bench/verify-vs-bash.mjs [--runs N] [--keep DIR] [--profile]
//        [--no-select] [lessons...]
// Default lessons: every lessons/en/*.md whose `docker-lab verify` passes on its own (the others
// are listed with the reason); --no-select skips that first verify of each lesson. --keep DIR
// keeps the generated scripts and their check results; --profile shows where docker-lab's time
// goes (also done whenever the ratio misses the target). Needs dist/cli.js (node
// scripts/build.mjs). The daemon is shared: every run, on both sides, takes docker-lab's daemon
// lock, and a sample that had to wait for it is thrown away and taken again.
//
// For each lesson a bash script is generated from the parsed lesson, written the way a careful
// shell-script author would: temp working directory, files written with heredocs, each step's
// commands through `sh -c` (interactive ones through `script -qec`, background ones with `&`),
// each check done with the docker CLI and retried every `interval` until its `timeout`, and at
// the end what the lesson created removed by diffing `docker ps -aq` & co. before/after. There
// are no before-checks: a script author would not prove soundness, and that is part of what
// docker-lab costs.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseLesson } from '../src/lesson/parser.ts';
import { resolveEndpointFromProcess } from '../src/docker/endpoint.ts';
import { lockPath } from '../src/run/daemon-lock.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/cli.js');
const TARGET = 1.1;

// ---------------------------------------------------------------------------------------------
// Bash generation
// ---------------------------------------------------------------------------------------------

/** A bash word that is exactly `text` ($'...' quoting: newlines and quotes survive). */
function q(text) {
  const s = String(text);
  // Control characters are exactly what needs $'...' quoting.
  /* eslint-disable no-control-regex */
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  if (!/[\n\r\t'\\\x00-\x1f]/.test(s)) return `'${s}'`;
  return `$'${s.replace(/[\\'\x00-\x1f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === "'") return "\\'";
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  })}'`;
}
/* eslint-enable no-control-regex */

/** A url for bash, `${DAEMON_HOST}` left to the shell like a script author would write it. */
function urlWord(url) {
  return url
    .split('${DAEMON_HOST}')
    .map((part) => (part === '' ? "''" : q(part)))
    .join('"$DAEMON_HOST"');
}

const MATCHER_KEYS = new Set([
  'equals',
  'contains',
  'matches',
  'startsWith',
  'endsWith',
  'gt',
  'gte',
  'lt',
  'lte',
  'containsElement',
  'length',
  'not',
  'all',
  'any',
]);

class Unsupported extends Error {}

/**
 * Compiles a matcher into a bash condition on `$v`. Lists are held one element per line (no
 * element of the course's lists contains a newline); `type` says how to read `$v`.
 */
function compileMatcher(m, type, g) {
  const isObject = m !== null && typeof m === 'object' && !Array.isArray(m);
  if (!isObject) return equals(m, type);
  const parts = Object.entries(m).map(([key, expected]) => {
    if (!MATCHER_KEYS.has(key)) throw new Unsupported(`matcher ${key}`);
    switch (key) {
      case 'equals':
        return equals(expected, type);
      case 'contains':
        return type === 'list'
          ? `grep -qxF -- ${q(String(expected))} <<<"$v"`
          : `[[ $v == *${q(String(expected))}* ]]`;
      case 'matches':
        return `rx "$v" ${q(String(expected))}`;
      case 'startsWith':
        return `[[ $v == ${q(String(expected))}* ]]`;
      case 'endsWith':
        return `[[ $v == *${q(String(expected))} ]]`;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const op = { gt: '-gt', gte: '-ge', lt: '-lt', lte: '-le' }[key];
        return `{ [[ $v =~ ^-?[0-9]+$ ]] && [ "$v" ${op} ${Number(expected)} ]; }`;
      }
      case 'containsElement': {
        if (type !== 'list') return 'false';
        const fn = g.fn(`local v=$1; ${compileMatcher(expected, 'text', g)}`);
        return `any_line ${fn} "$v"`;
      }
      case 'length': {
        const count = type === 'list' ? '$(lines "$v")' : '${#v}';
        const fn = g.fn(`local v=$1; ${compileMatcher(expected, 'num', g)}`);
        return `${fn} "${count}"`;
      }
      case 'not':
        return `! { ${compileMatcher(expected, type, g)}; }`;
      case 'all':
        return `{ ${expected.map((e) => compileMatcher(e, type, g)).join(' && ')}; }`;
      case 'any':
        return `{ ${expected.map((e) => `{ ${compileMatcher(e, type, g)}; }`).join(' || ')}; }`;
    }
    throw new Unsupported(key);
  });
  return parts.length === 1 ? parts[0] : `{ ${parts.join(' && ')}; }`;
}

function equals(expected, type) {
  if (Array.isArray(expected)) {
    if (type !== 'list') return 'false';
    return `[[ $v == ${q(expected.map(String).join('\n'))} ]]`;
  }
  if (expected !== null && typeof expected === 'object') throw new Unsupported('map equality');
  return `[[ $v == ${q(String(expected))} ]]`;
}

const SEP = '{{"\\x1e"}}';
const LINES = (expr) => `{{range ${expr}}}{{.}}{{"\\n"}}{{end}}`;

/** Container fields as Go templates for one `docker inspect -f`, and how to read each. */
const CONTAINER_FIELDS = {
  status: ['{{.State.Status}}', 'text'],
  running: ['{{.State.Running}}', 'text'],
  exitCode: ['{{.State.ExitCode}}', 'num'],
  health: ['{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', 'text'],
  image: ['{{.Config.Image}}', 'text'],
  command: [LINES('.Config.Cmd'), 'list'],
  entrypoint: [LINES('.Config.Entrypoint'), 'list'],
  // The live bindings when running, else what the container was created with (as docker-lab).
  ports: [
    '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{$p}}->{{if .HostIp}}{{.HostIp}}{{else}}0.0.0.0{{end}}:{{.HostPort}}{{"\\n"}}{{end}}{{end}}' +
      SEP +
      '{{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{$p}}->{{if .HostIp}}{{.HostIp}}{{else}}0.0.0.0{{end}}:{{.HostPort}}{{"\\n"}}{{end}}{{end}}',
    'list',
  ],
  mounts: [
    '{{range .Mounts}}{{.Type}}:{{if eq (printf "%s" .Type) "volume"}}{{.Name}}{{else}}{{.Source}}{{end}}->{{.Destination}}{{"\\n"}}{{end}}',
    'list',
  ],
  env: [LINES('.Config.Env'), 'list'],
  networks: ['{{range $k, $x := .NetworkSettings.Networks}}{{$k}}{{"\\n"}}{{end}}', 'list'],
  restartPolicy: [
    '{{if .HostConfig.RestartPolicy.Name}}{{.HostConfig.RestartPolicy.Name}}{{else}}no{{end}}',
    'text',
  ],
  memory: ['{{.HostConfig.Memory}}', 'num'],
  nanoCpus: ['{{.HostConfig.NanoCpus}}', 'num'],
  pid1: ['{{.State.Pid}}', 'text'],
};

const IMAGE_FIELDS = {
  entrypoint: [LINES('.Config.Entrypoint'), 'list'],
  cmd: [LINES('.Config.Cmd'), 'list'],
  env: [LINES('.Config.Env'), 'list'],
  exposedPorts: ['{{range $k, $x := .Config.ExposedPorts}}{{$k}}{{"\\n"}}{{end}}', 'list'],
  workdir: ['{{.Config.WorkingDir}}', 'text'],
  user: ['{{.Config.User}}', 'text'],
  layers: ['{{len .RootFS.Layers}}', 'num'],
  size: ['{{.Size}}', 'num'],
  architecture: ['{{.Architecture}}', 'text'],
};

/** `v=...` then the matcher; `list` values lose the trailing newline of their last line. */
function assert(valueExpr, matcher, type, g) {
  const trim = type === 'list' ? "; v=${v%$'\\n'}" : '';
  return `v=${valueExpr}${trim}; ${compileMatcher(matcher, type, g)} || return 1`;
}

/** One Go template of several fields, read back into F[] split on \x1e. */
function inspectInto(fields, table, spec) {
  const used = fields.filter((f) => spec[f] !== undefined);
  const format = used.map((f) => table[f][0] + SEP).join('');
  return { used, format };
}

function checkBody(check, ctx, g) {
  const s = check.spec;
  const lines = [];
  switch (check.kind) {
    case 'output': {
      const cmd = s.command === undefined ? ctx.last : ctx.byId.get(s.command);
      if (cmd === undefined) return ['return 1'];
      if (s.stdout !== undefined)
        lines.push(`rd v "$O/${cmd}.out"`, assert('$v', s.stdout, 'text', g));
      if (s.stderr !== undefined)
        lines.push(`rd v "$O/${cmd}.err"`, assert('$v', s.stderr, 'text', g));
      if (s.exitCode !== undefined) lines.push(assert(`\${RC[${cmd}]}`, s.exitCode, 'num', g));
      return lines;
    }
    case 'daemon': {
      const table = {
        serverVersion: '{{.ServerVersion}}',
        storageDriver: '{{.Driver}}',
        cgroupVersion: '{{.CgroupVersion}}',
        os: '{{.OSType}}',
        architecture: '{{.Architecture}}',
        swarm: '{{.Swarm.LocalNodeState}}',
        registryMirrors: '{{range .RegistryConfig.Mirrors}}{{.}}{{"\\n"}}{{end}}',
        apiVersion: null,
      };
      if (s.apiVersion !== undefined) throw new Unsupported('daemon apiVersion');
      const used = Object.keys(table).filter((k) => s[k] !== undefined);
      const format = used.map((k) => table[k] + SEP).join('') || '{{.ID}}';
      lines.push(
        `local out; if out=$(docker info --format ${q(format)} 2>/dev/null); then r=true; else r=false; fi`,
      );
      if (s.reachable !== undefined) lines.push(assert('$r', s.reachable, 'text', g));
      if (used.length > 0) {
        lines.push(`[ "$r" = true ] || return 1`, `split F "$out"`);
        used.forEach((k, i) =>
          lines.push(assert(`"\${F[${i}]}"`, s[k], k === 'registryMirrors' ? 'list' : 'text', g)),
        );
      }
      return lines;
    }
    case 'container': {
      for (const k of ['labels', 'count'])
        if (s[k] !== undefined) throw new Unsupported(`container ${k}`);
      const { used, format } = inspectInto(Object.keys(CONTAINER_FIELDS), CONTAINER_FIELDS, s);
      const others = used.length > 0 || s.running !== undefined;
      let target;
      if (s.name !== undefined) target = q(s.name);
      else {
        const filter = s.ancestor !== undefined ? `ancestor=${s.ancestor}` : `label=${s.label}`;
        lines.push(`local id; id=$(docker ps -aq -l --filter ${q(filter)})`);
        target = '"${id:-none}"';
      }
      const wanted = s.exists ?? (others ? true : undefined);
      lines.push(
        `local out; if out=$(docker inspect --type container -f ${q(format + '.')} ${target} 2>/dev/null); then e=true; else e=false; fi`,
      );
      if (wanted !== undefined) lines.push(`[ "$e" = ${wanted} ] || return 1`);
      if (!others) return lines;
      lines.push(`split F "$out"`);
      let i = 0;
      for (const f of used) {
        if (f === 'ports') {
          lines.push(
            `v=\${F[${i}]}; [ -n "$v" ] || v=\${F[${i + 1}]}; v=\${v%$'\\n'}; ${compileMatcher(s.ports, 'list', g)} || return 1`,
          );
          i += 2;
          continue;
        }
        if (f === 'pid1') {
          // PID 1's command line as the host sees it: the `docker top` row of the container's pid.
          lines.push(
            `v=$(docker top ${target} -o pid,args 2>/dev/null | awk -v p="\${F[${i}]}" '$1 == p { sub(/^ *[0-9]+ +/, ""); print; exit }')`,
            `${compileMatcher(s.pid1, 'text', g)} || return 1`,
          );
        } else lines.push(assert(`\${F[${i}]}`, s[f], CONTAINER_FIELDS[f][1], g));
        i += 1;
      }
      return lines;
    }
    case 'image': {
      const { used, format } = inspectInto(Object.keys(IMAGE_FIELDS), IMAGE_FIELDS, s);
      if (s.labels !== undefined) throw new Unsupported('image labels');
      const others = used.length > 0 || s.history !== undefined;
      lines.push(
        `local out; if out=$(docker image inspect -f ${q(format + '.')} ${q(s.name)} 2>/dev/null); then e=true; else e=false; fi`,
      );
      lines.push(`[ "$e" = ${s.exists ?? true} ] || return 1`);
      if (!others || s.exists === false) return lines;
      lines.push(`split F "$out"`);
      used.forEach((f, i) => lines.push(assert(`\${F[${i}]}`, s[f], IMAGE_FIELDS[f][1], g)));
      if (s.history !== undefined)
        lines.push(
          assert(
            `$(docker history --no-trunc --format '{{.CreatedBy}}' ${q(s.name)})`,
            s.history,
            'list',
            g,
          ),
        );
      return lines;
    }
    case 'volume': {
      if (s.labels !== undefined) throw new Unsupported('volume labels');
      lines.push(
        `local out; if out=$(docker volume inspect -f '{{.Driver}}' ${q(s.name)} 2>/dev/null); then e=true; else e=false; fi`,
      );
      const others = s.driver !== undefined || s.usedBy !== undefined;
      lines.push(`[ "$e" = ${s.exists ?? true} ] || return 1`);
      if (!others || s.exists === false) return lines;
      if (s.driver !== undefined) lines.push(assert('$out', s.driver, 'text', g));
      if (s.usedBy !== undefined)
        lines.push(
          assert(
            `$(docker ps -a --filter volume=${q(s.name)} --format '{{.Names}}')`,
            s.usedBy,
            'list',
            g,
          ),
        );
      return lines;
    }
    case 'network': {
      const table = {
        driver: ['{{.Driver}}', 'text'],
        internal: ['{{.Internal}}', 'text'],
        subnet: ['{{range .IPAM.Config}}{{.Subnet}}{{"\\n"}}{{end}}', 'list'],
      };
      const { used, format } = inspectInto(Object.keys(table), table, s);
      lines.push(
        `local out; if out=$(docker network inspect -f ${q(format + '.')} ${q(s.name)} 2>/dev/null); then e=true; else e=false; fi`,
      );
      lines.push(`[ "$e" = ${s.exists ?? true} ] || return 1`);
      if (s.exists === false) return lines;
      lines.push(`split F "$out"`);
      used.forEach((f, i) => lines.push(assert(`\${F[${i}]}`, s[f], table[f][1], g)));
      if (s.containers !== undefined)
        lines.push(
          assert(
            `$(docker ps -a --filter network=${q(s.name)} --format '{{.Names}}')`,
            s.containers,
            'list',
            g,
          ),
        );
      return lines;
    }
    case 'logs': {
      const since =
        s.since === 'start'
          ? ''
          : s.since === 'lesson'
            ? '--since "$LESSON_T0" '
            : '--since "$STEP_T0" ';
      lines.push(`docker inspect --type container ${q(s.container)} >/dev/null 2>&1 || return 1`);
      if (s.text !== undefined)
        lines.push(assert(`$(docker logs ${since}${q(s.container)} 2>&1)`, s.text, 'text', g));
      if (s.stdout !== undefined)
        lines.push(
          assert(`$(docker logs ${since}${q(s.container)} 2>/dev/null)`, s.stdout, 'text', g),
        );
      if (s.stderr !== undefined)
        lines.push(
          assert(`$(docker logs ${since}${q(s.container)} 2>&1 >/dev/null)`, s.stderr, 'text', g),
        );
      return lines;
    }
    case 'exec': {
      const argv = typeof s.command === 'string' ? ['sh', '-c', s.command] : s.command;
      const user = s.user !== undefined ? `-u ${q(s.user)} ` : '';
      // `echo x$?` keeps the output's trailing newlines and carries the exec's exit status.
      lines.push(
        `local out rc; out=$(docker exec ${user}${q(s.container)} ${argv.map(q).join(' ')} 2>"$O/exec.err"; echo "x$?"); rc=\${out##*x}; out=\${out%x*}`,
      );
      if (s.exitCode !== undefined) lines.push(assert('$rc', s.exitCode, 'num', g));
      if (s.stdout !== undefined) lines.push(assert('$out', s.stdout, 'text', g));
      if (s.stderr !== undefined)
        lines.push(`rd v "$O/exec.err"`, assert('$v', s.stderr, 'text', g));
      return lines;
    }
    case 'port': {
      const host = s.host !== undefined ? q(s.host) : '"$DAEMON_HOST"';
      lines.push(`if port_open ${host} ${s.port}; then v=true; else v=false; fi`);
      if (s.open !== undefined) lines.push(`[ "$v" = ${s.open} ] || return 1`);
      return lines;
    }
    case 'http': {
      g.needsHttp = true;
      lines.push(`http_get ${q(s.method ?? 'GET')} ${urlWord(s.url)} || return 1`);
      if (s.status !== undefined) lines.push(assert('$HTTP_STATUS', s.status, 'num', g));
      if (s.body !== undefined) lines.push(`rd v "$O/http.body"`, assert('$v', s.body, 'text', g));
      for (const [name, matcher] of Object.entries(s.headers ?? {}))
        lines.push(assert(`$(header ${q(name)})`, matcher, 'text', g));
      return lines;
    }
    case 'registry': {
      g.needsHttp = true;
      const base = /^https?:\/\//.test(s.url) ? s.url : `http://${s.url}`;
      if (s.repositories !== undefined)
        lines.push(
          `http_get GET ${urlWord(`${base}/v2/_catalog`)} && [ "$HTTP_STATUS" = 200 ] || return 1`,
          assert(`$(json_list repositories <"$O/http.body")`, s.repositories, 'list', g),
        );
      if (s.tags !== undefined)
        lines.push(
          `http_get GET ${urlWord(`${base}/v2/${s.repository}/tags/list`)} && [ "$HTTP_STATUS" = 200 ] || return 1`,
          assert(`$(json_list tags <"$O/http.body")`, s.tags, 'list', g),
        );
      return lines;
    }
    case 'compose': {
      lines.push(
        `local out; out=$(docker ps -a --filter label=com.docker.compose.project=${q(s.project)} --format '{{.Label "com.docker.compose.service"}} {{.State}} {{.Label "com.docker.compose.oneoff"}} {{.CreatedAt}}')`,
      );
      if (s.services !== undefined)
        lines.push(
          assert(
            `$(awk '$1 != "" && $3 != "True" { print $1 }' <<<"$out" | sort -u)`,
            s.services,
            'list',
            g,
          ),
        );
      if (s.running !== undefined)
        lines.push(
          assert(
            `$(awk '$1 != "" && $3 != "True" && $2 == "running" { print $1 }' <<<"$out" | sort -u)`,
            s.running,
            'list',
            g,
          ),
        );
      if (s.state !== undefined)
        lines.push(
          assert(
            `$(awk -v s=${q(s.service ?? '')} '$1 == s && $3 != "True" { print $2; exit }' <<<"$out")`,
            s.state,
            'text',
            g,
          ),
        );
      return lines;
    }
    case 'service': {
      for (const k of ['image', 'mode', 'ports'])
        if (s[k] !== undefined) throw new Unsupported(`service ${k}`);
      // `docker service ls` shows REPLICAS as running/desired; its name filter is a prefix match.
      lines.push(
        `local out; out=$(docker service ls --filter name=${q(s.name)} --format '{{.Name}} {{.Replicas}}' 2>/dev/null | awk -v n=${q(s.name)} '$1 == n { print $2; exit }')`,
        `[ -n "$out" ] && e=true || e=false`,
        `[ "$e" = ${s.exists ?? true} ] || return 1`,
      );
      if (s.replicas !== undefined) lines.push(assert('${out#*/}', s.replicas, 'num', g));
      if (s.running !== undefined) lines.push(assert('${out%%/*}', s.running, 'num', g));
      return lines;
    }
    case 'file': {
      const path = q(s.path);
      lines.push(
        `[ -e ${path} ] && e=true || e=false`,
        `[ "$e" = ${s.exists ?? true} ] || return 1`,
      );
      if (s.exists === false) return lines;
      if (s.content !== undefined)
        lines.push(`rd v ${path}`, `${compileMatcher(s.content, 'text', g)} || return 1`);
      if (s.mode !== undefined)
        lines.push(assert(`$(printf '%04d' "$(stat -c %a ${path})")`, s.mode, 'text', g));
      return lines;
    }
  }
  throw new Unsupported(`kind ${check.kind}`);
}

/** Names the lesson itself mentions: the bash cleanup only removes new objects named so. */
function mentionedNames(lesson) {
  const texts = [];
  for (const step of lesson.steps) {
    for (const c of step.commands) texts.push(c.script);
    for (const f of step.files) texts.push(f.content);
    for (const c of step.checks) texts.push(JSON.stringify(c.spec));
  }
  const names = new Set();
  for (const t of texts)
    for (const m of t.matchAll(/[A-Za-z0-9][A-Za-z0-9_.:/-]*/g)) names.add(m[0]);
  for (const image of lesson.meta.images ?? []) names.delete(image);
  return names;
}

// Bash's own ${...} is written @{...} here (a template literal would expand it).
const PRELUDE = String.raw`
# --- helpers ---------------------------------------------------------------------------------
now_us() { local t=$EPOCHREALTIME; echo "@{t/./}"; }
# Reads a file into the named variable, trailing newlines kept, ANSI colours and CRs removed
# (as docker-lab compares output).
rd() { local -n _r=$1; _r=$(sed -e 's/\x1b\[[0-9;?]*[ -\/]*[@-~]//g' -e 's/\r$//' "$2" 2>/dev/null; printf x); _r=@{_r%x}; }
# JavaScript-like regular expression test (multiline, as docker-lab's matches).
rx() { V=$1 P=$2 perl -e 'exit(($ENV{V} =~ /$ENV{P}/m) ? 0 : 1)'; }
split() { local -n _a=$1; mapfile -t -d $'\x1e' _a <<<"$2"; }
lines() { [ -z "$1" ] && echo 0 || grep -c '' <<<"$1"; }
any_line() { local f=$1 e; while IFS= read -r e; do "$f" "$e" && return 0; done <<<"$2"; return 1; }
# Open means the connection survives a moment: docker-proxy accepts for a container that is not
# listening yet and then closes at once (docker-lab's port check waits 200 ms for that too).
port_open() {
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; IFS= read -r -n 1 -t 0.2 x <&3; r=$?; [ "$r" -eq 0 ] || [ "$r" -gt 128 ]' "$1" "$2" 2>/dev/null
}
# check ID TIMEOUT_MS INTERVAL_MS NOT FUNCTION: retried like docker-lab's waiting.
check() {
  local id=$1 t=$2 i=$3 neg=$4 fn=$5 start ok elapsed
  start=$(now_us)
  while :; do
    if "$fn"; then ok=1; else ok=0; fi
    [ "$neg" = 1 ] && ok=$((1 - ok))
    [ "$ok" = 1 ] && break
    elapsed=$((($(now_us) - start) / 1000))
    [ "$elapsed" -ge "$t" ] && break
    local wait=$((t - elapsed < i ? t - elapsed : i))
    sleep "$((wait / 1000)).$(printf '%03d' $((wait % 1000)))"
  done
  printf '%s\t%s\t%s\n' "$id" "$([ "$ok" = 1 ] && echo pass || echo FAIL)" "$((($(now_us) - start) / 1000))" >>"$RESULTS"
}
phase() { printf '#phase\t%s\t%s\n' "$1" "$(now_us)" >>"$RESULTS"; }
`.replaceAll('@{', '${');

const HTTP_HELPERS = String.raw`
# An HTTP client: curl, else wget, else busybox wget (status in HTTP_STATUS, body and headers
# in files; redirects not followed, like docker-lab).
if command -v curl >/dev/null 2>&1; then HTTP=curl
elif command -v wget >/dev/null 2>&1; then HTTP=wget
else HTTP='busybox wget'; fi
http_get() {
  HTTP_STATUS=
  if [ "$HTTP" = curl ]; then
    HTTP_STATUS=$(curl -s -X "$1" -o "$O/http.body" -D "$O/http.head" -w '%{http_code}' --max-time 10 "$2") || return 1
    [ "$HTTP_STATUS" != 000 ]
  else
    $HTTP -q -S --max-redirect=0 -T 10 -O "$O/http.body" "$2" 2>"$O/http.head"
    HTTP_STATUS=$(awk '/^ *HTTP\//{ s = $2 } END { print s }' "$O/http.head")
    [ -n "$HTTP_STATUS" ]
  fi
}
header() { awk -v n="$1" 'BEGIN { n = tolower(n) } { l = $0; sub(/\r$/, "", l); sub(/^ +/, "", l); i = index(l, ":"); if (i && tolower(substr(l, 1, i - 1)) == n) { v = substr(l, i + 1); sub(/^ +/, "", v); print v; exit } }' "$O/http.head"; }
json_list() { perl -0777 -ne 'if (/"\Q'"$1"'\E"\s*:\s*\[(.*?)\]/s) { my $a = $1; print "$1\n" while $a =~ /"((?:[^"\\]|\\.)*)"/g }'; }
`.replaceAll('@{', '${');

/** The bash script for one lesson, and the ids of its checks in order. */
export function generateScript(lesson, { endpoint, lock, file }) {
  const g = {
    fns: [],
    needsHttp: false,
    fn(body) {
      const name = `m${this.fns.length}`;
      this.fns.push(`${name}() { ${body}; }`);
      return name;
    },
  };
  const checkIds = [];
  const unsupported = [];
  const steps = [];
  let n = 0;
  const background = lesson.steps.some((s) => s.commands.some((c) => c.background));
  for (const step of lesson.steps) {
    const out = [
      `# --- step ${step.id}: ${step.title.replace(/\n/g, ' ')}`,
      'phase step',
      'STEP_T0=$EPOCHREALTIME',
    ];
    for (const f of step.files) {
      const delim = f.content.includes('\nDL_EOF') ? 'DL_EOF_2' : 'DL_EOF';
      if (f.path.includes('/')) out.push(`mkdir -p ${q(f.path.replace(/\/[^/]*$/, ''))}`);
      out.push(`cat > ${q(f.path)} <<'${delim}'\n${f.content.replace(/\n$/, '')}\n${delim}`);
      if (f.mode !== undefined) out.push(`chmod ${f.mode.toString(8)} ${q(f.path)}`);
    }
    out.push('phase commands');
    const byId = new Map();
    let last;
    for (const c of step.commands) {
      if (c.when === 'learner') continue;
      const t = Math.ceil((c.timeoutMs ?? 120_000) / 1000);
      if (c.background) {
        // Its own process group, so the whole pipeline is stopped at the end.
        out.push(`setsid sh -c ${q(c.script)} >"$O/bg${n}.out" 2>&1 </dev/null & BG+=($!)`);
        n += 1;
        continue;
      }
      const id = n++;
      out.push('T0=${EPOCHREALTIME/./}');
      if (c.interactive) {
        const delim = (c.input ?? '').includes('DL_IN') ? 'DL_IN_2' : 'DL_IN';
        out.push(
          `SHELL=/bin/sh timeout ${t} script -qec ${q(c.script)} /dev/null >"$O/${id}.out" 2>"$O/${id}.err" <<'${delim}'\n${(c.input ?? '').replace(/\n$/, '')}\n${delim}`,
        );
      } else {
        out.push(`timeout ${t} sh -c ${q(c.script)} >"$O/${id}.out" 2>"$O/${id}.err" </dev/null`);
      }
      out.push(
        `RC[${id}]=$?; printf '#cmd\\t%s\\t%s\\n' ${c.interactive ? 'interactive' : 'plain'} "$(((\${EPOCHREALTIME/./} - T0) / 1000))" >>"$RESULTS"`,
      );
      if (c.id) byId.set(c.id, id);
      last = id;
    }
    out.push('phase checks');
    for (const check of step.checks) {
      let body;
      try {
        body = checkBody(check, { byId, last }, g);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        unsupported.push(`${check.id}: ${error.message}`);
        body = ['return 1'];
      }
      const fn = `c_${check.id.replace(/-/g, '_')}`;
      out.push(`${fn}() {\n  local v e r; local -a F\n  ${body.join('\n  ')}\n}`);
      out.push(
        `check ${q(check.id)} ${check.timeoutMs} ${check.intervalMs} ${check.not ? 1 : 0} ${fn}`,
      );
      checkIds.push(check.id);
    }
    steps.push(out.join('\n'));
  }

  const mentioned = [...mentionedNames(lesson)];
  const swarm = lesson.steps.some((s) => s.commands.some((c) => /\bswarm\s+init\b/.test(c.script)));
  const text = `#!/usr/bin/env bash
# Generated by bench/verify-vs-bash.mjs from ${file}: what a careful shell-script author would
# write to run the lesson's commands and check their results with the docker CLI.
set -u
export DOCKER_HOST=${q(endpoint.env.DOCKER_HOST ?? `unix:///var/run/docker.sock`)}
export DAEMON_HOST=${q(endpoint.daemonHost)}
export DOCKER_CLI_HINTS=false
RESULTS=\${BENCH_RESULTS:-/dev/null}
${PRELUDE}
${g.needsHttp ? HTTP_HELPERS : ''}
# --- one lesson run per daemon: the same lock file docker-lab takes (this daemon is shared) ---
LOCK=${q(lock)}
until (set -o noclobber; echo $$ >"$LOCK") 2>/dev/null; do
  owner=$(cat "$LOCK" 2>/dev/null)
  if ! [[ $owner =~ ^[0-9]+$ ]] || ! kill -0 "$owner" 2>/dev/null; then rm -f "$LOCK"; continue; fi
  [ -n "\${WAITED:-}" ] || printf '#waited\\n' >>"$RESULTS"; WAITED=1
  sleep 0.25
done
phase setup
LESSON_T0=$EPOCHREALTIME
W=$(mktemp -d "\${TMPDIR:-/tmp}/bash-lab-${lesson.meta.id}-XXXXXX") && cd "$W" || exit 1
O=$W/.out; mkdir "$O"
declare -a RC BG=()
${g.fns.join('\n')}

# --- what exists before: the cleanup removes only what is new at the end -------------------
B_C=$(docker ps -aq --no-trunc)
B_V=$(docker volume ls -q)
B_N=$(docker network ls -q --no-trunc)
B_I=$(docker images -q --no-trunc)
${swarm ? "B_SWARM=$(docker info --format '{{.Swarm.LocalNodeState}}')" : ''}

${steps.join('\n\n')}

# --- cleanup ---------------------------------------------------------------------------------
phase cleanup
${background ? 'for p in "${BG[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done; wait 2>/dev/null' : ''}
${swarm ? `[ "$B_SWARM" = inactive ] && [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != inactive ] && docker swarm leave --force >/dev/null 2>&1` : ''}
# New objects are removed only when the lesson names them (others share this daemon): a
# script author knows what their script creates.
declare -A MENTIONED=()
for x in ${mentioned.map(q).join(' ')}; do MENTIONED[$x]=1; done
named() { # NAME: the lesson names it, or it is a compose/stack object of a project it names
  local x=\${1#/}
  [ -n "\${MENTIONED[$x]:-}" ] && return 0
  [ -n "\${MENTIONED[\${x%%_*}]:-}" ] && return 0
  ${swarm ? '[ "$x" = docker_gwbridge ] && return 0' : ''}
  return 1
}
new_ids() { local -A seen=(); local x; for x in $1; do seen[$x]=1; done; for x in $2; do [ -z "\${seen[$x]:-}" ] && echo "$x"; done | sort -u; }
ids=$(new_ids "$B_C" "$(docker ps -aq --no-trunc)")
if [ -n "$ids" ]; then
  rmc=$(docker inspect -f '{{.Id}} {{.Name}}' $ids 2>/dev/null | while read -r id name; do named "$name" && echo "$id"; done)
  [ -n "$rmc" ] && docker rm -f -v $rmc >/dev/null 2>&1
fi
ids=$(new_ids "$B_N" "$(docker network ls -q --no-trunc)")
if [ -n "$ids" ]; then
  rmn=$(docker network inspect -f '{{.Id}} {{.Name}}' $ids 2>/dev/null | while read -r id name; do named "$name" && echo "$id"; done)
  [ -n "$rmn" ] && docker network rm $rmn >/dev/null 2>&1
fi
ids=$(new_ids "$B_V" "$(docker volume ls -q)")
for id in $ids; do
  if named "$id" || [[ $id =~ ^[0-9a-f]{64}$ ]]; then docker volume rm "$id" >/dev/null 2>&1; fi
done
ids=$(new_ids "$B_I" "$(docker images -q --no-trunc)")
if [ -n "$ids" ]; then
  rmi=$(docker image inspect -f '{{.Id}} {{join .RepoTags " "}}' $ids 2>/dev/null | while read -r id tags; do
    if [ -z "$tags" ]; then echo "$id"; continue; fi
    for t in $tags; do if named "$t" || named "\${t%:*}"; then echo "$id"; break; fi; done
  done)
  [ -n "$rmi" ] && docker rmi -f $rmi >/dev/null 2>&1
fi
cd / && rm -rf "$W"
phase end
rm -f "$LOCK"
`;
  return { text, checkIds, unsupported };
}

// ---------------------------------------------------------------------------------------------
// Running and timing
// ---------------------------------------------------------------------------------------------

function run(cmd, args, { env = process.env, input } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input) child.stdin.end(input);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
    );
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until no docker-lab run (or generated script) holds the daemon lock. */
async function lockFree(lock) {
  for (;;) {
    let owner;
    try {
      owner = Number(readFileSync(lock, 'utf8'));
    } catch {
      return;
    }
    let alive = false;
    try {
      process.kill(owner, 0);
      alive = true;
    } catch (error) {
      alive = error.code === 'EPERM';
    }
    if (!Number.isInteger(owner) || owner <= 0 || !alive) return;
    await sleep(100);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function uptime() {
  return spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
}

/** Why a lesson's verify report failed, in one line. */
function failureReason(report) {
  if (!report) return 'no report';
  if (report.reason) return report.reason;
  for (const step of report.steps ?? []) {
    if (step.status === 'passed' || step.status === 'skipped') continue;
    const bad = [
      ...(step.before ?? []).map((f) => ({ ...f, phase: 'before' })),
      ...(step.after ?? []).map((f) => ({ ...f, phase: 'after' })),
    ].find((f) => !f.ok);
    if (bad) {
      const mm = (bad.mismatches ?? []).map((m) =>
        `${m.field}: expected ${m.expected}, got ${JSON.stringify(m.actual)}`.slice(0, 160),
      );
      return `step ${step.id} ${step.status}: check ${bad.id} (${bad.phase}) ${bad.error ?? mm.join('; ') ?? ''}`.trim();
    }
    if (step.problems?.length) return `step ${step.id}: ${step.problems.join('; ')}`;
    return `step ${step.id} ${step.status}`;
  }
  if (report.cleanup?.failed?.length)
    return `cleanup failed: ${report.cleanup.failed.map((f) => f.resource.name).join(', ')}`;
  return report.status;
}

async function verifyOnce(file, lock) {
  await lockFree(lock);
  const r = await run(process.execPath, [BIN, 'verify', '--reporter', 'plain', file]);
  return { ...r, contended: /waiting for another docker-lab run/.test(r.stdout + r.stderr) };
}

async function bashOnce(script, lock, results) {
  await lockFree(lock);
  writeFileSync(results, '');
  const r = await run('bash', [script], { env: { ...process.env, BENCH_RESULTS: results } });
  const text = readFileSync(results, 'utf8');
  return { ...r, results: text, contended: text.includes('#waited') };
}

/** A timed sample; one that waited for another run's lock is thrown away and taken again. */
async function sample(fn, tries = 5) {
  let r;
  for (let i = 0; i < tries; i++) {
    r = await fn();
    if (!r.contended) return r;
  }
  return { ...r, flagged: true };
}

function parseResults(text) {
  const checks = [];
  const phases = [];
  let interactiveMs = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#cmd')) {
      const [, kind, ms] = line.split('\t');
      if (kind === 'interactive') interactiveMs += Number(ms);
    } else if (line.startsWith('#phase')) {
      const [, name, us] = line.split('\t');
      phases.push({ name, us: Number(us) });
    } else if (line && !line.startsWith('#')) {
      const [id, verdict, ms] = line.split('\t');
      checks.push({ id, pass: verdict === 'pass', ms: Number(ms) });
    }
  }
  const totals = {};
  for (let i = 0; i + 1 < phases.length; i++)
    totals[phases[i].name] =
      (totals[phases[i].name] ?? 0) + (phases[i + 1].us - phases[i].us) / 1000;
  totals.interactive = interactiveMs;
  return { checks, phases: totals };
}

// ---------------------------------------------------------------------------------------------
// Profile: where docker-lab's time goes, from the runner's own events (in-process).
// ---------------------------------------------------------------------------------------------

async function profile(lessons, lock) {
  const { connectFromEnv } = await import('../src/docker/client.ts');
  const { verifyLesson } = await import('../src/run/lesson-run.ts');
  const { acquireDaemonLock } = await import('../src/run/daemon-lock.ts');
  const rows = [];
  for (const { file, lesson } of lessons) {
    await lockFree(lock);
    const t0 = performance.now();
    const engine = await connectFromEnv(process.env);
    const held = await acquireDaemonLock(engine.endpoint.url);
    const t1 = performance.now();
    const workdir = mkdtempSync(join(tmpdir(), `docker-lab-${lesson.meta.id}-`));
    const acc = {
      connect: t1 - t0,
      ledgerStart: 0,
      beginStep: 0,
      before: 0,
      commands: 0,
      after: 0,
      cleanup: 0,
      other: 0,
    };
    let mark = performance.now();
    let phase = 'ledgerStart';
    const at = (next) => {
      const now = performance.now();
      acc[phase] += now - mark;
      mark = now;
      phase = next;
    };
    let interactiveStart = 0;
    acc.interactive = 0; // part of `commands`: interactive ones, typed a line at a time
    const started = performance.now();
    const report = await verifyLesson({
      lesson,
      engine,
      workdir,
      lang: lesson.meta.lang,
      baseEnv: process.env,
      emit(event) {
        switch (event.type) {
          case 'lesson-started':
            at('beginStep');
            break;
          case 'step-started':
            at('before'); // files are written inside this phase (a few ms at most)
            break;
          case 'check-result':
            if (event.phase === 'after' && phase !== 'after') at('after');
            break;
          case 'command-started':
            if (phase !== 'commands') at('commands');
            if (event.command.interactive) interactiveStart = performance.now();
            break;
          case 'command-finished':
            if (event.command.interactive) acc.interactive += performance.now() - interactiveStart;
            break;
          case 'step-finished':
            at('beginStep');
            break;
          case 'cleanup-started':
            at('cleanup');
            break;
          case 'cleanup-finished':
            at('other');
            break;
        }
      },
    });
    at('other');
    await held.release();
    acc.total = performance.now() - started + acc.connect;
    rows.push({ file, status: report.status, ...acc });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '3' },
      keep: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-select': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!existsSync(BIN)) throw new Error('dist/cli.js is missing: node scripts/build.mjs');
  const resolution = resolveEndpointFromProcess();
  if (!resolution.ok) throw new Error(`no daemon endpoint: ${resolution.problem.message}`);
  const endpoint = resolution.endpoint;
  const lock = lockPath(endpoint.url);
  const files =
    positionals.length > 0
      ? positionals
      : readdirSync(join(ROOT, 'lessons/en'))
          .filter((f) => f.endsWith('.md'))
          .sort()
          .map((f) => relative(process.cwd(), join(ROOT, 'lessons/en', f)));
  const outDir = values.keep ?? mkdtempSync(join(tmpdir(), 'verify-vs-bash-'));
  mkdirSync(outDir, { recursive: true });
  // Others rebuild dist/ on this machine: a build that changes mid-run mixes two versions.
  const distHash = () => {
    const h = createHash('sha256');
    const walk = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else h.update(e.name).update(readFileSync(join(dir, e.name)));
      }
    };
    walk(join(ROOT, 'dist'));
    return h.digest('hex').slice(0, 12);
  };
  const cliHash = distHash();

  const loadBefore = uptime();
  console.log(`load before: ${loadBefore}`);
  console.log(
    `daemon ${endpoint.url}, lock ${lock}, dist/cli.js ${cliHash}, scripts in ${outDir}\n`,
  );

  // 1. Selection: a lesson is benchmarked only when docker-lab verify passes it on its own.
  const selected = [];
  const excluded = [];
  for (const file of files) {
    const lesson = parseLesson(file, readFileSync(file, 'utf8')).lesson;
    if (!lesson) {
      excluded.push({ file, reason: 'does not parse' });
      continue;
    }
    if (values['no-select']) {
      selected.push({ file, lesson });
      continue;
    }
    await lockFree(lock);
    const r = await run(process.execPath, [BIN, 'verify', '--reporter', 'json', file]);
    let report;
    try {
      report = JSON.parse(r.stdout).lessons[0];
    } catch {
      report = undefined;
    }
    if (r.code === 0 && report?.status === 'passed') selected.push({ file, lesson });
    else excluded.push({ file, reason: failureReason(report) });
    console.log(
      `select ${file}: ${r.code === 0 ? 'passes' : `excluded (${excluded.at(-1).reason})`} [${(r.ms / 1000).toFixed(1)} s]`,
    );
  }

  // 2. Generate the scripts and run each once: every bash check must pass (a check the bash
  //    side gets wrong makes the comparison unfair). This run is also the warm-up.
  const scripts = [];
  const wrong = [];
  for (const { file, lesson } of selected) {
    const { text, checkIds, unsupported } = generateScript(lesson, { endpoint, lock, file });
    const path = join(outDir, `${lesson.meta.id}.sh`);
    writeFileSync(path, text);
    const first = await sample(() =>
      bashOnce(path, lock, join(outDir, `${lesson.meta.id}.results`)),
    );
    const { checks } = parseResults(first.results);
    const failed = checks.filter((c) => !c.pass).map((c) => c.id);
    const missing = checkIds.filter((id) => !checks.some((c) => c.id === id));
    console.log(
      `bash ${lesson.meta.id}: ${checks.length - failed.length}/${checkIds.length} checks pass${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}${missing.length ? `; not run: ${missing.join(', ')}` : ''}${unsupported.length ? `; unsupported: ${unsupported.join(', ')}` : ''}`,
    );
    if (failed.length || missing.length) wrong.push({ file, failed, missing });
    scripts.push({ file, lesson, path, checks: checkIds.length });
  }

  // 3. Timed runs, alternating (and alternating which goes first) so drift hits both alike.
  const times = new Map(scripts.map((s) => [s.file, { dl: [], bash: [], phases: [], flagged: 0 }]));
  for (let round = 0; round < runs; round++) {
    for (const s of scripts) {
      const t = times.get(s.file);
      const order = (round + scripts.indexOf(s)) % 2 === 0 ? ['dl', 'bash'] : ['bash', 'dl'];
      for (const side of order) {
        if (side === 'dl') {
          const r = await sample(() => verifyOnce(s.file, lock));
          if (r.code !== 0)
            console.log(`  round ${round + 1} ${s.lesson.meta.id}: verify FAILED this time`);
          if (r.flagged) t.flagged += 1;
          t.dl.push(r.ms);
        } else {
          const r = await sample(() =>
            bashOnce(s.path, lock, join(outDir, `${s.lesson.meta.id}.results`)),
          );
          const { checks, phases } = parseResults(r.results);
          if (checks.some((c) => !c.pass))
            console.log(
              `  round ${round + 1} ${s.lesson.meta.id}: a bash check failed: ${checks
                .filter((c) => !c.pass)
                .map((c) => c.id)
                .join(', ')}`,
            );
          if (r.flagged) t.flagged += 1;
          t.bash.push(r.ms);
          t.phases.push(phases);
        }
      }
    }
    console.log(`round ${round + 1}/${runs} done`);
  }

  // 4. The table.
  const rows = scripts.map((s) => {
    const t = times.get(s.file);
    return { id: s.lesson.meta.id, dl: median(t.dl), bash: median(t.bash), flagged: t.flagged };
  });
  const roundTotals = (side) =>
    Array.from({ length: runs }, (_, i) =>
      scripts.reduce((sum, s) => sum + times.get(s.file)[side][i], 0),
    );
  const totalDl = median(roundTotals('dl'));
  const totalBash = median(roundTotals('bash'));
  const ratio = totalDl / totalBash;
  const lines = [];
  lines.push(`| lesson | docker-lab ms (median) | bash ms (median) | ratio |`);
  lines.push(`| --- | ---: | ---: | ---: |`);
  for (const r of rows)
    lines.push(
      `| ${r.id}${r.flagged ? ' (lock contended)' : ''} | ${r.dl.toFixed(0)} | ${r.bash.toFixed(0)} | ${(r.dl / r.bash).toFixed(2)} |`,
    );
  lines.push(
    `| **total** (median of per-round sums) | **${totalDl.toFixed(0)}** | **${totalBash.toFixed(0)}** | **${ratio.toFixed(2)}** |`,
  );
  const loadAfter = uptime();
  console.log(`\n${lines.join('\n')}\n`);
  console.log(
    `total ratio ${ratio.toFixed(3)} (target <= ${TARGET}): ${ratio <= TARGET ? 'met' : 'MISSED'}`,
  );
  console.log(`runs per side: ${runs}; lessons: ${rows.length}; excluded: ${excluded.length}`);
  for (const e of excluded) console.log(`  excluded ${e.file}: ${e.reason}`);
  if (wrong.length)
    for (const w of wrong)
      console.log(`  bash checks wrong in ${w.file}: ${[...w.failed, ...w.missing].join(', ')}`);
  else console.log('every bash check passed');
  console.log(`load after: ${loadAfter}`);
  const cliHashAfter = distHash();
  if (cliHashAfter !== cliHash)
    console.log(
      `WARNING: dist/ changed during the run (${cliHash} -> ${cliHashAfter}): the docker-lab figures mix two builds`,
    );

  // 5. Where docker-lab's time goes (bash phases alongside for comparison).
  if (values.profile || ratio > TARGET) {
    const startup = [];
    for (let i = 0; i < 5; i++) startup.push((await run(process.execPath, [BIN, '--version'])).ms);
    const nodeBare = [];
    for (let i = 0; i < 5; i++) nodeBare.push((await run(process.execPath, ['-e', '0'])).ms);
    console.log(
      `\nnode start-up: docker-lab --version ${median(startup).toFixed(0)} ms, node -e 0 ${median(nodeBare).toFixed(0)} ms`,
    );
    const prof = await profile(scripts, lock);
    const keys = [
      'connect',
      'ledgerStart',
      'beginStep',
      'before',
      'commands',
      'interactive',
      'after',
      'cleanup',
      'other',
      'total',
    ];
    console.log(`docker-lab in-process, ms: lesson | ${keys.join(' | ')}`);
    const sums = Object.fromEntries(keys.map((k) => [k, 0]));
    for (const p of prof) {
      for (const k of keys) sums[k] += p[k];
      console.log(
        `  ${basename(p.file, '.md')} (${p.status}) | ${keys.map((k) => p[k].toFixed(0)).join(' | ')}`,
      );
    }
    console.log(`  total | ${keys.map((k) => sums[k].toFixed(0)).join(' | ')}`);
    const bashPhases = {};
    for (const s of scripts) {
      const ph = times.get(s.file).phases;
      for (const name of ['setup', 'step', 'commands', 'interactive', 'checks', 'cleanup']) {
        bashPhases[name] = (bashPhases[name] ?? 0) + median(ph.map((p) => p[name] ?? 0));
      }
    }
    console.log(
      `bash, ms (sum of per-lesson medians): ${Object.entries(bashPhases)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', ')}`,
    );
  }
  if (!values.keep) await rm(outDir, { recursive: true, force: true });
}

// Importable (the generator) without running the benchmark.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
