/** Every fixed word docker-lab shows to people, in Simplified Chinese: the shape of ./en.ts. */
import type { Catalogue } from './en.js';
import { seconds } from './format.js';

export const zhCN: Catalogue = {
  check: {
    duration: (ms) => (ms < 1000 ? `${Math.round(ms)} 毫秒` : `${seconds(ms)} 秒`),
    nothing: '无',
    stateSeparator: '，',

    failed: (id, subject) => `✗ ${id}：${subject}`,
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
  },

  word: {
    aContainer: (name) => `名为 ${name} 的容器`,
    noSuchContainer: () => '没有这个容器',
    running: () => '运行中',
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
  },
};
