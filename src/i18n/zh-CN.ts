/** Every fixed word docker-lab shows to people, in Simplified Chinese: the shape of ./en.ts. */
import type { Catalogue } from './en.js';
import { seconds } from './format.js';

/** A Latin name before Chinese words is set apart by a space. */
const spaced = (text: string) => (/[!-~]$/.test(text) ? `${text} ` : text);

const OBJECT_TYPES = { container: '容器', volume: '数据卷', network: '网络' };

export const zhCN: Catalogue = {
  check: {
    duration: (ms) => (ms < 1000 ? `${Math.round(ms)} 毫秒` : `${seconds(ms)} 秒`),
    nothing: '无',
    stateSeparator: '，',

    failed: (id, subject) => `✗ ${id}：${subject}`,
    failedWords: (what) => `✗ ${what}`,
    mismatchFound: (field, actual) => `${field}：实际为 ${actual}`,
    logRepeated: (times, block) =>
      block > 1 ? `（以上 ${block} 行重复了 ${times} 次）` : `（重复了 ${times} 次）`,
    fixCommand: '本课的命令：',
    mismatch: (field, expected, actual) => `${field}：期望 ${expected}，实际为 ${actual}`,
    mismatchBlock: (field, expected) => `${field}：期望 ${expected}`,
    found: '实际为：',
    diffHeader: '差异（- 期望，+ 实际）：',
    negated: '该检查已取反（not: true），但所有期望都成立',
    attempts: (count, elapsed) =>
      count === 1 ? `尝试 1 次（${elapsed}）` : `尝试 ${count} 次，用时 ${elapsed}`,
    timeout: (limit) => `（超时 ${limit}）`,
    stoppedEarly: (reason) => `提前停止等待：${reason}`,
    error: (message) => `无法完成检查：${message}`,
    aborted: '在得出结论前已取消',
    snapshot: (name, image, state) => `容器 ${name}（${image}）：${state}`,
    exitCode: (code) => `退出码 ${code}`,
    health: (status) => `健康状态 ${status}`,
    logTail: (lines) => `最近 ${lines} 行日志：`,
    logTailLearner: (lines) => `最近 ${lines} 行日志（已压缩，按 l 查看全部）：`,
    noLogs: '没有日志输出',
    fix: (text) => `最可能的解决办法：${text}`,

    terminalExited: (name, code) => `容器 ${name} 已退出（退出码 ${code}），不会自行重新启动`,
    terminalDead: (name) => `容器 ${name} 处于 dead 状态`,
    terminalNoHealthcheck: (name) => `容器 ${name} 没有健康检查，不重新创建就不会有`,
    terminalOutput: '命令已经结束，输出不会再变化',

    daemonTimeout: (limit) => `Docker 守护进程在 ${limit}内没有响应`,
    daemonUnreachable: (detail) =>
      `无法连接 Docker 守护进程（${detail}）；运行 docker-lab doctor 查看原因`,
    engineRefused: (detail) => `Docker Engine 拒绝了请求：${detail}`,
    kindUnavailable: (kind) => `此版本的 docker-lab 不支持 "${kind}" 类检查`,

    // checks-output: output checks that wait (a background command, a re-run), and diffs.
    whitespaceLegend: '（⏎ 表示行尾，· 表示空格，→ 表示制表符）',
    // run-capture：只看本课运行所创建对象的检查，捕获的值。
    createdByOutsideRun:
      '`createdBy` 需要在课程运行中使用，只有课程运行才会记录它创建了什么；请通过 docker-lab verify 或课程本身来运行这个检查',
    captureField: (name, from) => `捕获 ${name}（来自 ${from}）`,
    captureExpectedValue: '一个值',
    captureExpectedMatch: (pattern) => `匹配 /${pattern}/ 的值`,
    commandFailedFirst: (command, code) => `第一个失败的命令：\`${command}\`，退出码 ${code}：`,
    commandOutput: (command, code, shown, total) =>
      `\`${command}\` 的输出${shown < total ? `（共 ${total} 行中的最后 ${shown} 行）` : ''}，${code === null ? '已被终止' : `退出码 ${code}`}：`,
    commandNoOutput: '（没有输出）',
    // near-miss：学习者输入了本步骤列出的常见错误（yaml near-miss）。
    knownMistake: (sentence) => `常见错误：${sentence}`,
  },

  subject: {
    daemon: 'Docker 守护进程',
    output: (command) => (command ? `命令 "${command}" 的输出` : '本步骤最后一条命令的输出'),
    containerName: (name) => `容器 ${name}`,
    containerAncestor: (image) => `由 ${image} 创建的最新容器`,
    containerLabel: (label) => `带有标签 ${label} 的最新容器`,
    image: (name) => `镜像 ${name}`,
    kind: (kind) => `${kind} 检查`,
    volume: (name) => `数据卷 ${name}`,
    network: (name) => `网络 ${name}`,
    logs: (container) => `容器 ${container} 的日志`,
    exec: (container, command) => `在容器 ${container} 中执行：${command}`,
    port: (address) => `端口 ${address}`,
    http: (method, url) => `HTTP ${method} ${url}`,
    registry: (url, repository) =>
      repository ? `镜像仓库 ${url} 的 ${repository}` : `镜像仓库 ${url}`,
    compose: (project, service) =>
      service ? `compose 项目 ${project} 的服务 ${service}` : `compose 项目 ${project}`,
    service: (name) => `swarm 服务 ${name}`,
    file: (path) => `文件 ${path}`,
  },

  fix: {
    negated: '这个检查不应成立：撤销使它成立的操作',
    generic: '按课程所示重做这一步',

    noOutput: '先运行本步骤的命令',
    unknownCommand: (id) => `本步骤中没有运行 id 为 "${id}" 的命令；请先运行它`,
    exitCode: '命令执行失败：阅读上面的错误输出，改正后重新运行',
    outputText: '对照课程中的命令检查你的命令，然后重新运行',
    // checks-output
    stillRunning: (command) =>
      `${command ? `命令 "${command}"` : '本步骤最后一条命令'}在后台启动，仍在运行，还没有退出码：请检查它的输出（stdout、stderr、text），或先停止它`,
    rerunOutput: (command) =>
      `${command ? `命令 "${command}"` : '本步骤最后一条命令'}一直重新运行到检查超时，始终没有输出预期的内容：先确认它访问的服务已经启动，再重新运行`,

    daemonUnreachable: (detail) =>
      `启动 Docker 守护进程（${detail}）；docker-lab doctor 会说明问题所在`,
    daemonSetting: '这是守护进程的配置（daemon.json 或 Docker Desktop 的设置）：修改后重启守护进程',

    containerMissing: (name) =>
      name ? `先创建它：docker run -d --name ${name} 镜像` : '按课程所示用 docker run 创建它',
    containerFromImage: (image) => `用该镜像运行一个容器：docker run -d ${image}`,
    containerExited: (name) =>
      `用 docker logs ${name} 查看它停止的原因，改正后运行 docker start ${name}`,
    containerStart: (name) => `启动它：docker start ${name}`,
    containerStop: (name) => `停止它：docker stop ${name}`,
    containerRemove: (name) => `删除它：docker rm -f ${name}`,
    containerUnhealthy: (name) =>
      `查看健康检查的输出：docker inspect --format '{{json .State.Health}}' ${name}`,
    containerRecreate: (name) =>
      `这些设置在创建容器时就已确定：删除它（docker rm -f ${name}），再用正确的选项重新运行`,
    containerCount: '运行或删除容器，直到数量正确',
    containerNoHealthcheck: (name) =>
      `容器 ${name} 没有健康检查（它的镜像没有 HEALTHCHECK，运行时也没有加 --health-cmd）：删除它（docker rm -f ${name}），再加上 --health-cmd 重新运行`,
    containerRestarts: (name) =>
      `重启次数只计算重启策略做的重启：用 --restart（on-failure 或 always）运行它，并让它的命令退出；docker inspect --format '{{.RestartCount}}' ${name} 显示次数`,
    imageFile: (name, path) =>
      `镜像中的 ${path} 来自它的 Dockerfile（COPY、ADD、RUN）：修改后重新构建：docker build -t ${name} .`,
    imageSize: (name) =>
      `让 ${name} 变小：分阶段构建（FROM ... AS build），只把程序需要的东西用 COPY --from=build 复制到一个小的最终阶段`,
    noContainerNamed: (name) => `没有名为 ${name} 的容器：用 docker ps -a 查看`,
    containerStopped: (name) => `启动它：docker start ${name}（停止原因见 docker logs ${name}）`,

    imageMissing: (name) => `构建它（docker build -t ${name} .）或拉取它（docker pull ${name}）`,
    imageRemove: (name) => `删除它：docker rmi ${name}`,
    imageRebuild: (name) => `修改 Dockerfile 后重新构建：docker build -t ${name} .`,

    volumeMissing: (name) => `创建它：docker volume create ${name}`,
    volumeUnused: (name) => `在容器中挂载它：docker run -v ${name}:/path ...`,
    networkMissing: (name) => `创建它：docker network create ${name}`,
    networkAttach: (name) => `把容器连上网络：docker network connect ${name} 容器名`,
    logsMissing: (name) => `看看它输出了什么：docker logs ${name}`,
    commandMissing: (name) => `${name} 的镜像里没有这个命令：检查拼写，或在镜像中安装它`,
    portClosed: (port) => `发布端口：docker run -p ${port}:端口 ...（并确认容器里的服务在监听）`,
    portOpen: (port) => `停止发布该端口的容器：docker ps --filter publish=${port}`,
    notForwarded: (port, url) =>
      `守护进程（${url}）和这台机器不共享回环地址：docker-lab 只把本课容器发布的端口转发到这里，而它们都没有发布 ${port}。请在本课的容器上发布它（docker run -p 127.0.0.1:${port}:端口 ...），然后再检查。`,
    httpRefused: () => '那里没有服务响应：容器是否在运行、端口是否已发布（docker ps）？',
    registryPush: (url) =>
      `打标签并推送：docker tag 镜像 ${url}/名称:标签 && docker push ${url}/名称:标签`,
    composeUp: () => '启动项目：在 compose 文件所在目录运行 docker compose up -d',
    composeLogs: (service) => `查看它为何没有运行：docker compose logs ${service}`,
    swarmInactive: () => '此守护进程不是 swarm 管理节点：先运行 docker swarm init',
    serviceMissing: (name) => `创建它：docker service create --name ${name} 镜像`,
    serviceTasks: (name) => `查看任务为何没有运行：docker service ps ${name} --no-trunc`,
    fileMissing: (path) => `创建文件 ${path}`,
    fileOutside: (path, link) =>
      `${link} 是指向课程工作目录之外的符号链接，所以不检查 ${path}；删除这个链接（rm ${link}），让这一步写入真正的文件夹`,
    fileMode: (path, mode) => `修改权限：chmod ${mode} ${path}`,
    // run-capture：捕获的值。
    captureMissing: '让这一步产生捕获要读取的值，或者改正捕获的 from 或 matches',
    captureNotSingle: '捕获的 from 指向一个列表或对象：请指明其中一个元素，例如 ports.0',
  },

  word: {
    aContainer: (name) => `名为 ${name} 的容器`,
    noSuchContainer: () => '没有这个容器',
    running: () => '运行中',
    // checks-output
    stillRunning: () => '仍在运行',
    notRunning: (status, exitCode) =>
      exitCode === undefined ? status : `${status}（退出码 ${exitCode}）`,
    timedOut: (seconds) => `${seconds} 秒内没有结束`,
    finishesWithin: (seconds) => `在 ${seconds} 秒内结束`,
    exitCodeLine: (code, line) => (line ? `退出码 ${code}：${line}` : `退出码 ${code}`),
    aResponse: () => '有响应',
    aRegistry: () => '镜像仓库（API v2）的应答',
    connectionRefused: () => '连接被拒绝',
    connectionClosed: () => '连接在响应前被关闭',
    noResponse: (seconds) => `${seconds} 秒内没有响应`,
    hostUnknown: (host) => `找不到主机 ${host}`,
    httpStatus: (status) => `HTTP ${status}`,
    notRegistry: (status) => `HTTP ${status}，但不是镜像仓库的 JSON`,
    noServiceContainer: () => '没有容器',
    anImage: (name) => `镜像 ${name}`,
    noSuchImage: () => '没有这个镜像',
    lessThanSizeOf: (name, bytes) => `小于 ${name} 的大小（${bytes} 字节）`,
    ratioOf: (matcher, name) => `${matcher}（它的大小除以 ${name} 的大小）`,
  },

  matcher: {
    equals: '等于',
    contains: '包含',
    matches: '匹配',
    startsWith: '以此开头：',
    endsWith: '以此结尾：',
    containsElement: '有元素',
    length: '长度',
    not: '不',
    all: '全部满足',
    any: '任一满足',
    and: '，且 ',
    // checks-output: trim, lines, every.
    trim: (rest: string) => `去掉首尾空白后${rest}`,
    lines: '各行',
    lineCount: (count: number) => `共 ${count} 行`,
    every: '每个元素都',
  },

  lesson: {
    solutionHeadings: ['解答', '答案', '参考答案', '解决方案'],
    hintPrefixes: ['提示'],
  },

  ui: {
    courseTitle: 'docker-lab —— 动手学 Docker',
    listHelp: '↑/↓ 选择 · Enter 或 1-9 打开 · q 退出',
    lessonHelp: 'Enter 运行 · t 输入 · c 检查 · h 提示 · s 答案 · n/p 换步 · x 重置 · q 离开',
    quizHelp: '1-9 选择 · Enter 作答 · h 提示 · n 下一步 · p 上一步 · q 离开',
    steps: (done, total) => `${done}/${total} 步`,
    minutes: (text) => text,
    completed: '已完成',
    imagesMissing:
      '标 ! 的课程缺少镜像：docker-lab images pull（离线：docker-lab images build-standins）',
    imagesMark: '! 缺镜像',
    untranslated: (lessonLang) => (lessonLang === 'en' ? '（英文）' : ''),
    stepOf: (i, n) => `第 ${i} 步，共 ${n} 步`,
    stepHeading: (i, n, title) => `第 ${i} 步，共 ${n} 步：${title}`,
    willRun: '按 Enter 运行：',
    youType: '请在你自己的终端里输入（我会自动检查结果）：',
    typeElsewhere: '也可以在另一个终端里自己运行：本步会自动完成',
    inFolder: (dir) => `本课目录：cd ${dir}（按 t 在那里打开 shell）`,
    running: (command) => `正在运行 ${command}`,
    checking: '检查中……',
    waiting: (subject, found, seconds, limit) =>
      `正在等待${subject}${found ? `（现在：${found}）` : ''}：已等 ${seconds} 秒，最多 ${limit} 秒`,
    passed: '本步完成。',
    failed: '还没有完成：',
    waitingForYou: '等待你的操作',
    hint: (i, n) => `提示 ${i}/${n}`,
    noMoreHints: '没有更多提示了：按 s 查看答案。',
    noHints: '本步没有提示。',
    solution: '答案',
    noSolution: '本步没有单独的答案：上面的命令就是。',
    lessonDone: '本课完成。按 q 返回列表。',
    outputLines: (shown, total) => `共 ${total} 行，显示最后 ${shown} 行`,
    outputMore: (shown, total) => `共 ${total} 行，显示最后 ${shown} 行；按 o 查看全部`,
    noOutput: '本课还没有运行过命令。',
    noLogs: '这一步没有检查失败的容器，按 l 无日志可看。',
    cleanupTitle: '本课创建了：',
    cleanupNothing: '本课没有留下任何东西。',
    cleanupAsk: '现在删除它们吗？你自己的容器、镜像、数据卷和网络不会被动。[Y/n]',
    cleanedUp: (n) => `已删除本课创建的 ${n} 个资源。`,
    keptResources: '已保留。之后可以用 docker rm / docker volume rm / docker network rm 删除。',
    confirmCommand: '这条命令会影响本课之外的东西：',
    yesNo: '要运行吗？[y/N]',
    leftoversTitle:
      '之前的一次运行没来得及清理就停止了（守护进程不见了，或 docker-lab 被结束）。它留下了：',
    inTheWayTitle:
      '这一步要创建的名字已经被不属于本课的东西占用了（你自己的，或以前某次运行留下的）：',
    inTheWayItem: (type, name) => `${OBJECT_TYPES[type]} ${name}`,
    inTheWayAsk: '按 y 删除它们并运行这一步；按 n 保留它们并跳过这一步。[y/N]',
    inTheWaySkipped: '已保留你的东西并跳过这一步：它的检查会看到你的对象。',
    trustTitle: (file) => `${file} 不是内置课程的一部分。下面是它会在你的机器上做的全部事情：`,
    trustFlagged: '标 ! 的行会影响本课之外的东西：请先读它们。',
    trustNothing: '它不运行任何命令，也不写任何文件。',
    trustExec: (container) => `在容器 ${container} 里：`,
    trustWrites: (path, mode) => `在本课的工作目录里写入 ${path}${mode ? `（权限 ${mode}）` : ''}`,
    trustAsksFirst: '（运行前会先问你）',
    trustYouType: '（由你自己输入）',
    trustDanger: {
      'dangerous-command': (s) => `${s} 会作用于不属于本课的 Docker 资源`,
      sudo: () => '通过 sudo 以 root 身份运行',
      'docker-socket': () => '把 Docker socket 交给容器：这等于你这台机器的 root',
      'host-mount': (s) => `把你机器上的 ${s} 挂载进容器`,
      privileged: (s) => `${s} 让容器获得控制你这台机器的权力`,
      'pipe-to-shell': (s) => `${s} 不经展示就运行从网上下载的脚本`,
      'rm-outside': (s) => `删除 ${s}，它在本课的工作目录之外`,
    },
    trustAsk: '信任这一课吗？[y/N]',
    handOff: '终端交给你了：输入命令，退出程序后回到 docker-lab。',
    quizRight: '答对了。',
    quizWrong: '不太对：再试一次（按 h 看提示）。',
    // checks-output: a check runs the step's command again until its output matches.
    rerun: (attempt) => `↻ 第 ${attempt} 次重新运行，检查在等待它的输出`,
    exitCode: (code) => (code === null ? '已终止' : `退出码 ${code}`),
    practice: {
      where: (workdir) => `你在本课的目录里。要在另一个终端里操作，先进入：\n  cd ${workdir}`,
      type: '输入：',
      challenge: '挑战：自己想出命令。',
      quiz: '这一步是一道题：输入 exit 回到 docker-lab 作答，或输入 skip 跳过。',
      words:
        'hint 提示 · solution 答案 · check 检查 · skip 跳过 · back 上一步 · exit 回到 docker-lab',
      passed: (title) => `✓ ${title}`,
      lessonDone: '✓ 本课完成。输入 exit 回到 docker-lab。',
      nearMiss: (type, found, expected) => `你创建的${type}是 ${found}，这一步要的是 ${expected}。`,
      notYet: '还没有完成：',
      noStep: '没有打开的步骤。',
      needsTerminal: 'practice 需要终端：请在终端窗口里运行，不要通过管道',
      leaving: '回到 docker-lab。',
      besideTitle: '你在 tmux 里：shell 可以在课程旁边的窗格中打开。',
      besideAsk: '在旁边打开吗？（n：改在这个屏幕上打开）[Y/n]',
      besideOpen: '请在右边的窗格里输入；这里的步骤会跟着你的操作前进。在那里输入 exit 即可关闭。',
      objects: { container: '容器', volume: '数据卷', network: '网络', image: '镜像' },
    },
  },

  list: {
    heading: (done, total) => `Docker 课程（简体中文）：已完成 ${done}/${total} 课`,
    untranslated: '（英文）',
    imagesOk: '镜像 ✓',
    imagesMissing: (n) => `缺 ${n} 个`,
    missingHeading: '缺少的镜像（用 docker-lab images pull 获取）：',
    empty: '课程里还没有这种语言的课。',
  },

  run: {
    resumeNames: (head, more) =>
      more > 0
        ? `${head.join('、')} 等 ${head.length + more} 个对象`
        : head.length === 1
          ? head[0]!
          : `${head.slice(0, -1).join('、')} 和 ${head.at(-1)!}`,
    resumeRewound: (list, one, step) =>
      one
        ? `${spaced(list)}在你离开这一课时被删除了：从第 ${step} 步重新开始，这一步会创建它。`
        : `${spaced(list)}在你离开这一课时被删除了：从第 ${step} 步重新开始，从这一步起会重新创建它们。`,
    resumeSteps: (from, to) => (from === to ? `第 ${from} 步` : `第 ${from}–${to} 步`),
    resumeRecreateTitle: (list, one, steps) =>
      `${spaced(list)}在你离开这一课时被删除了。${steps}的这些命令会重新创建${one ? '它' : '它们'}：`,
    resumeRecreateQuestion: (goOn, restart) =>
      `按 y 现在运行它们，然后从第 ${goOn} 步继续；按 n 从第 ${restart} 步重新开始。[Y/n]`,
    resumeRecreateDone: (list, goOn) => `已重新创建 ${spaced(list)}：从第 ${goOn} 步继续。`,
    resumeRecreateFailed: (step) => `第 ${step} 步重新运行后没有通过：从这一步重新开始。`,
    lostDuring: (lesson, step) =>
      step ? `在课程 ${lesson} 的“${step}”这一步中` : `在课程 ${lesson} 中`,
    lost: (during, summary) => `${during}，Docker 守护进程不见了。${summary}`,
    lostStopped:
      'docker-lab 已停止本课以及它启动的所有命令；你的进度已保存。本课创建的东西还留在那个守护进程上：下次在它上面运行 docker-lab 时，会列出剩下的东西并删除它们。',
    lostWhatToDo: '怎么办：',
    lostRestart:
      '  - 重新启动守护进程（sudo systemctl start docker，或启动 Docker Desktop；用 docker-lab 的脚本安装的机器：bash scripts/setup-docker.sh），然后再运行本课。',

    outright: {
      'docker-refused': 'docker 拒绝执行',
      'not-runnable': '命令里的程序存在，但无法运行',
      'not-found': '找不到命令里的程序',
    },
    outrightFix: {
      'docker-refused':
        '按 docker 的提示修正（名称已被占用、守护进程上没有该镜像、不认识的参数），然后重新运行这一步。',
      'not-runnable': '给程序加上执行权限（chmod +x），或用它的解释器来运行。',
      'not-found': '安装这个程序，或改正它的名字，然后重新运行这一步。',
    },
    outrightNoCompose:
      '这台机器上没有 Compose v2 插件。请安装 docker-compose-plugin（或 Debian 的 docker-compose 2.x），或使用 Compose v1 的 docker-compose。',
    outrightSaid: (said) => `：“${said}”`,
    outrightFailed: (where, exitCode, what, said, fix) =>
      `${where}：命令以退出码 ${exitCode} 失败，${what}${said}。检查不再等待。${fix}`,
  },

  report: {
    written: (path) => `报告已写入 ${path}：请把这个文件发给你的老师。`,
  },

  lint: {
    checkDescriptionExample: '容器 dl-hello 以退出码 0 结束',
  },

  newLesson: {
    skeleton: (id, name) => `---
id: ${id}
title: 新课程：请改成课程标题
lang: zh-CN
summary: 用一句话说明学完本课能做到什么。
duration: 10m
images: [busybox]
---
# 新课程：请改成课程标题

用一段话说明本课教什么、为什么值得学。

## 运行一个容器 {#run}

说明这一步做什么。下面的命令会被运行，随后由检查确认结果。

\`\`\`sh id=run
docker run --name ${name} busybox echo hello
\`\`\`

\`\`\`yaml check
- id: said-hello
  description: 容器打印了 hello
  output: { command: run, stdout: { contains: "hello" }, exitCode: 0 }
- id: hello-exited
  description: 容器 ${name} 以退出码 0 结束
  container: { name: ${name}, status: exited, exitCode: 0 }
  fix: 运行 \`docker rm ${name}\` 删除旧容器，然后再运行一次这一步的命令。
\`\`\`

> 提示：\`docker run --name 名字 镜像 命令\` 用镜像创建一个容器，并在其中运行命令。
`,
  },

  plain: {
    quizHelp: '输入答案的编号（多个答案：1,3） · h 提示 · n 下一步 · p 上一步 · q 离开',
    choiceRange: (count) => `请用 1 到 ${count} 之间的编号作答，例如 2 或 1,3。`,
    inputEnded:
      '输入已结束：每个问题都按默认答案处理，因此本课创建的对象会被删除，你自己的对象不会被动到。',
  },

  sandbox: {
    swept: (id: string) => `已删除沙箱 ${id}：它是一次被强行终止的 docker-lab 运行留下的。`,
    starting: (engine: string, images: number) =>
      `正在启动 Docker ${engine} 沙箱${images > 0 ? `，并导入本课的 ${images} 个镜像` : ''}……`,
    ready: (dockerHost: string, ms: number) =>
      `沙箱已就绪，地址为 ${dockerHost}（${(ms / 1000).toFixed(1)} 秒）。你自己的 Docker 保持原样；离开时沙箱随之删除。`,
    envNone: (lesson: string) => `${lesson} 没有正在运行的沙箱。`,
    envStart: (lesson: string) =>
      `先运行“docker-lab ${lesson} --sandbox”（或“docker-lab practice ${lesson} --sandbox”）启动一个，在它打开期间，到另一个终端里再运行“docker-lab env ${lesson}”。`,
    envHeader: (lesson: string, engine: string) =>
      `${lesson} 的 Docker ${engine} 沙箱：把下面几行粘贴到终端里，docker 命令就会连到它。`,
    envBack: '之后要回到你自己的 Docker：',
    envShell: (shell: string) => `--shell 只能是 sh 或 fish，不能是“${shell}”。`,
  },
  cluster: {
    starting: (lesson: string, nodes: number) =>
      `${lesson} 运行在属于它自己的 ${nodes} 个 Docker 守护进程上（manager、worker1……）：它在一个 ${nodes} 个节点的沙箱里打开，这些节点是你的 Docker 上的容器，离开时一并删除。`,
    openAlone: (lesson: string, nodes: number) =>
      `${lesson} 运行在属于它自己的 ${nodes} 个 Docker 守护进程上：请用“docker-lab ${lesson}”打开它，它会在沙箱里启动这些守护进程。`,
    envNodes:
      '每个节点：docker --host "$WORKER1" …… 连到它的守护进程，$WORKER1_IP 是它在集群网络上的地址。',
  },
};
