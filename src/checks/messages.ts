import type { Lang } from '../i18n/lang.js';

/**
 * Every fixed string the check engine, its kinds and its failure reports show to people, in
 * both languages. Kinds and the report look strings up here so a translation never drifts
 * from its original in some other module.
 */
export interface CheckMessages {
  // Durations and values.
  duration(ms: number): string;
  nothing: string;
  notRunning: string;

  // Subjects: what a check looks at.
  subjectDaemon: string;
  subjectOutput(command: string | undefined): string;
  subjectContainerName(name: string): string;
  subjectContainerAncestor(image: string): string;
  subjectContainerLabel(label: string): string;
  subjectImage(name: string): string;
  subjectKind(kind: string): string;

  // The report.
  failed(id: string, subject: string): string;
  mismatch(field: string, expected: string, actual: string): string;
  mismatchBlock(field: string, expected: string): string;
  found: string;
  diffHeader: string;
  negated: string;
  attempts(count: number, elapsed: string): string;
  timeout(limit: string): string;
  stoppedEarly(reason: string): string;
  error(message: string): string;
  aborted: string;
  snapshot(name: string, image: string, state: string): string;
  exitCode(code: number): string;
  health(status: string): string;
  logTail(lines: number): string;
  noLogs: string;
  fix(text: string): string;

  // Why waiting stopped early.
  terminalExited(name: string, code: number): string;
  terminalDead(name: string): string;
  terminalUnhealthy(name: string): string;
  terminalOutput: string;

  // Engine problems.
  daemonTimeout(limit: string): string;
  daemonUnreachable(detail: string): string;
  engineRefused(detail: string): string;
  kindUnavailable(kind: string): string;

  // Likeliest fixes, per kind.
  fixNoOutput: string;
  fixUnknownCommand(id: string): string;
  fixExitCode: string;
  fixOutputText: string;
  fixDaemonUnreachable(detail: string): string;
  fixDaemonSetting: string;
  fixContainerMissing(name: string | undefined): string;
  fixContainerFromImage(image: string): string;
  fixContainerExited(name: string): string;
  fixContainerStart(name: string): string;
  fixContainerStop(name: string): string;
  fixContainerRemove(name: string): string;
  fixContainerUnhealthy(name: string): string;
  fixContainerRecreate(name: string): string;
  fixContainerCount: string;
  fixImageMissing(name: string): string;
  fixImageRemove(name: string): string;
  fixImageRebuild(name: string): string;
  fixNegated: string;
  fixGeneric: string;
}

/** 1.2, 5, 15: a tenth of a second matters only for short waits. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return String(s < 10 ? Math.round(s * 10) / 10 : Math.round(s));
}

const en: CheckMessages = {
  duration: (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${seconds(ms)} s`),
  nothing: 'nothing',
  notRunning: '(not running)',

  subjectDaemon: 'the Docker daemon',
  subjectOutput: (command) =>
    command ? `output of command "${command}"` : "output of the step's last command",
  subjectContainerName: (name) => `container ${name}`,
  subjectContainerAncestor: (image) => `newest container created from ${image}`,
  subjectContainerLabel: (label) => `newest container labelled ${label}`,
  subjectImage: (name) => `image ${name}`,
  subjectKind: (kind) => `${kind} check`,

  failed: (id, subject) => `✗ ${id}: ${subject}`,
  mismatch: (field, expected, actual) => `${field}: expected ${expected}, found ${actual}`,
  mismatchBlock: (field, expected) => `${field}: expected ${expected}`,
  found: 'found:',
  diffHeader: 'diff (- expected, + found):',
  negated: 'this check is negated (not: true), but every expectation held',
  attempts: (count, elapsed) =>
    count === 1 ? `tried once (${elapsed})` : `tried ${count} times in ${elapsed}`,
  timeout: (limit) => `timeout ${limit}`,
  stoppedEarly: (reason) => `stopped waiting early: ${reason}`,
  error: (message) => `could not evaluate: ${message}`,
  aborted: 'cancelled before a verdict',
  snapshot: (name, image, state) => `container ${name} (${image}): ${state}`,
  exitCode: (code) => `exit code ${code}`,
  health: (status) => `health ${status}`,
  logTail: (lines) => (lines === 1 ? 'last log line:' : `last ${lines} log lines:`),
  noLogs: 'no log output',
  fix: (text) => `likeliest fix: ${text}`,

  terminalExited: (name, code) =>
    `container ${name} exited with code ${code} and will not start again by itself`,
  terminalDead: (name) => `container ${name} is dead`,
  terminalUnhealthy: (name) => `container ${name} is unhealthy`,
  terminalOutput: 'the command has finished, so its output cannot change',

  daemonTimeout: (limit) => `the Docker daemon did not answer within ${limit}`,
  daemonUnreachable: (detail) =>
    `cannot reach the Docker daemon (${detail}); docker-lab doctor tells why`,
  engineRefused: (detail) => `the Docker Engine refused the request: ${detail}`,
  kindUnavailable: (kind) => `checks of kind "${kind}" are not available in this docker-lab`,

  fixNoOutput: "run the step's command first",
  fixUnknownCommand: (id) => `no command with id "${id}" ran in this step; run it first`,
  fixExitCode: 'the command failed: read its error output above, correct it and run it again',
  fixOutputText: "compare your command with the lesson's and run it again",
  fixDaemonUnreachable: (detail) =>
    `start the Docker daemon (${detail}); docker-lab doctor says what is wrong`,
  fixDaemonSetting:
    "this is the daemon's configuration (daemon.json, or Docker Desktop's settings): change it and restart the daemon",
  fixContainerMissing: (name) =>
    name
      ? `create it: docker run -d --name ${name} IMAGE`
      : 'create it with docker run as the lesson shows',
  fixContainerFromImage: (image) => `run a container from the image: docker run -d ${image}`,
  fixContainerExited: (name) =>
    `read why it stopped with docker logs ${name}, correct that, then docker start ${name}`,
  fixContainerStart: (name) => `start it: docker start ${name}`,
  fixContainerStop: (name) => `stop it: docker stop ${name}`,
  fixContainerRemove: (name) => `remove it: docker rm -f ${name}`,
  fixContainerUnhealthy: (name) =>
    `read the health check's output: docker inspect --format '{{json .State.Health}}' ${name}`,
  fixContainerRecreate: (name) =>
    `these settings are fixed when a container is created: remove it (docker rm -f ${name}) and run it again with the right options`,
  fixContainerCount: 'run or remove containers until the count is right',
  fixImageMissing: (name) =>
    `build it (docker build -t ${name} .) or pull it (docker pull ${name})`,
  fixImageRemove: (name) => `remove it: docker rmi ${name}`,
  fixImageRebuild: (name) => `change the Dockerfile and rebuild: docker build -t ${name} .`,
  fixNegated: 'this check must not hold: undo what made it true',
  fixGeneric: 'redo the step as the lesson shows',
};

const zhCN: CheckMessages = {
  duration: (ms) => (ms < 1000 ? `${Math.round(ms)} 毫秒` : `${seconds(ms)} 秒`),
  nothing: '无',
  notRunning: '（未运行）',

  subjectDaemon: 'Docker 守护进程',
  subjectOutput: (command) => (command ? `命令 "${command}" 的输出` : '本步骤最后一条命令的输出'),
  subjectContainerName: (name) => `容器 ${name}`,
  subjectContainerAncestor: (image) => `由 ${image} 创建的最新容器`,
  subjectContainerLabel: (label) => `带有标签 ${label} 的最新容器`,
  subjectImage: (name) => `镜像 ${name}`,
  subjectKind: (kind) => `${kind} 检查`,

  failed: (id, subject) => `✗ ${id}：${subject}`,
  mismatch: (field, expected, actual) => `${field}：期望 ${expected}，实际为 ${actual}`,
  mismatchBlock: (field, expected) => `${field}：期望 ${expected}`,
  found: '实际为：',
  diffHeader: '差异（- 期望，+ 实际）：',
  negated: '该检查已取反（not: true），但所有期望都成立',
  attempts: (count, elapsed) =>
    count === 1 ? `尝试 1 次（${elapsed}）` : `尝试 ${count} 次，用时 ${elapsed}`,
  timeout: (limit) => `超时 ${limit}`,
  stoppedEarly: (reason) => `提前停止等待：${reason}`,
  error: (message) => `无法完成检查：${message}`,
  aborted: '在得出结论前已取消',
  snapshot: (name, image, state) => `容器 ${name}（${image}）：${state}`,
  exitCode: (code) => `退出码 ${code}`,
  health: (status) => `健康状态 ${status}`,
  logTail: (lines) => `最近 ${lines} 行日志：`,
  noLogs: '没有日志输出',
  fix: (text) => `最可能的解决办法：${text}`,

  terminalExited: (name, code) => `容器 ${name} 已退出（退出码 ${code}），不会自行重新启动`,
  terminalDead: (name) => `容器 ${name} 处于 dead 状态`,
  terminalUnhealthy: (name) => `容器 ${name} 的健康检查失败（unhealthy）`,
  terminalOutput: '命令已经结束，输出不会再变化',

  daemonTimeout: (limit) => `Docker 守护进程在 ${limit}内没有响应`,
  daemonUnreachable: (detail) =>
    `无法连接 Docker 守护进程（${detail}）；运行 docker-lab doctor 查看原因`,
  engineRefused: (detail) => `Docker Engine 拒绝了请求：${detail}`,
  kindUnavailable: (kind) => `此版本的 docker-lab 不支持 "${kind}" 类检查`,

  fixNoOutput: '先运行本步骤的命令',
  fixUnknownCommand: (id) => `本步骤中没有运行 id 为 "${id}" 的命令；请先运行它`,
  fixExitCode: '命令执行失败：阅读上面的错误输出，改正后重新运行',
  fixOutputText: '对照课程中的命令检查你的命令，然后重新运行',
  fixDaemonUnreachable: (detail) =>
    `启动 Docker 守护进程（${detail}）；docker-lab doctor 会说明问题所在`,
  fixDaemonSetting:
    '这是守护进程的配置（daemon.json 或 Docker Desktop 的设置）：修改后重启守护进程',
  fixContainerMissing: (name) =>
    name ? `先创建它：docker run -d --name ${name} 镜像` : '按课程所示用 docker run 创建它',
  fixContainerFromImage: (image) => `用该镜像运行一个容器：docker run -d ${image}`,
  fixContainerExited: (name) =>
    `用 docker logs ${name} 查看它停止的原因，改正后运行 docker start ${name}`,
  fixContainerStart: (name) => `启动它：docker start ${name}`,
  fixContainerStop: (name) => `停止它：docker stop ${name}`,
  fixContainerRemove: (name) => `删除它：docker rm -f ${name}`,
  fixContainerUnhealthy: (name) =>
    `查看健康检查的输出：docker inspect --format '{{json .State.Health}}' ${name}`,
  fixContainerRecreate: (name) =>
    `这些设置在创建容器时就已确定：删除它（docker rm -f ${name}），再用正确的选项重新运行`,
  fixContainerCount: '运行或删除容器，直到数量正确',
  fixImageMissing: (name) => `构建它（docker build -t ${name} .）或拉取它（docker pull ${name}）`,
  fixImageRemove: (name) => `删除它：docker rmi ${name}`,
  fixImageRebuild: (name) => `修改 Dockerfile 后重新构建：docker build -t ${name} .`,
  fixNegated: '这个检查不应成立：撤销使它成立的操作',
  fixGeneric: '按课程所示重做这一步',
};

const CATALOG: Record<Lang, CheckMessages> = { en, 'zh-CN': zhCN };

export function messages(lang: Lang): CheckMessages {
  return CATALOG[lang];
}
