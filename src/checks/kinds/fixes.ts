/**
 * What the check kinds say to people, in both languages: the likeliest fix for a failure and
 * the words used where an actual value is a situation rather than data ("connection refused").
 * The engine's own messages live in src/checks/messages.ts.
 */
import type { Lang } from '../../i18n/lang.js';

type Phrase<A extends unknown[]> = Record<Lang, (...args: A) => string>;

function phrase<A extends unknown[]>(en: (...args: A) => string, zh: (...args: A) => string) {
  return { en, 'zh-CN': zh } satisfies Phrase<A>;
}

export const FIXES = {
  volumeMissing: phrase(
    (name: string) => `Create it: docker volume create ${name}`,
    (name: string) => `创建它：docker volume create ${name}`,
  ),
  volumeUnused: phrase(
    (name: string) => `Mount it in a container: docker run -v ${name}:/path ...`,
    (name: string) => `在容器中挂载它：docker run -v ${name}:/path ...`,
  ),
  networkMissing: phrase(
    (name: string) => `Create it: docker network create ${name}`,
    (name: string) => `创建它：docker network create ${name}`,
  ),
  networkAttach: phrase(
    (name: string) => `Attach the container: docker network connect ${name} CONTAINER`,
    (name: string) => `把容器连上网络：docker network connect ${name} 容器名`,
  ),
  containerMissing: phrase(
    (name: string) => `No container is named ${name}: list them with docker ps -a`,
    (name: string) => `没有名为 ${name} 的容器：用 docker ps -a 查看`,
  ),
  containerStopped: phrase(
    (name: string) =>
      `Start it: docker start ${name} (its logs say why it stopped: docker logs ${name})`,
    (name: string) => `启动它：docker start ${name}（停止原因见 docker logs ${name}）`,
  ),
  logsMissing: phrase(
    (name: string) => `Look at what it printed: docker logs ${name}`,
    (name: string) => `看看它输出了什么：docker logs ${name}`,
  ),
  commandMissing: phrase(
    (name: string) =>
      `The command is not in the image of ${name}: check its spelling, or install it in the image`,
    (name: string) => `${name} 的镜像里没有这个命令：检查拼写，或在镜像中安装它`,
  ),
  portClosed: phrase(
    (port: number) =>
      `Publish it: docker run -p ${port}:PORT ... (and check the server in the container is listening)`,
    (port: number) => `发布端口：docker run -p ${port}:端口 ...（并确认容器里的服务在监听）`,
  ),
  portOpen: phrase(
    (port: number) => `Stop what publishes it: docker ps --filter publish=${port}`,
    (port: number) => `停止发布该端口的容器：docker ps --filter publish=${port}`,
  ),
  notForwarded: phrase(
    (port: number, url: string) =>
      `The daemon (${url}) shares no loopback with this machine: docker-lab forwards here only the ports this lesson's containers publish, and none of them publishes ${port}. Publish it from the lesson's container (docker run -p 127.0.0.1:${port}:PORT ...), then check again.`,
    (port: number, url: string) =>
      `守护进程（${url}）和这台机器不共享回环地址：docker-lab 只把本课容器发布的端口转发到这里，而它们都没有发布 ${port}。请在本课的容器上发布它（docker run -p 127.0.0.1:${port}:端口 ...），然后再检查。`,
  ),
  httpRefused: phrase(
    () => 'Nothing answers there: is the container running and its port published (docker ps)?',
    () => '那里没有服务响应：容器是否在运行、端口是否已发布（docker ps）？',
  ),
  registryPush: phrase(
    (url: string) =>
      `Tag and push it: docker tag IMAGE ${url}/NAME:TAG && docker push ${url}/NAME:TAG`,
    (url: string) =>
      `打标签并推送：docker tag 镜像 ${url}/名称:标签 && docker push ${url}/名称:标签`,
  ),
  composeUp: phrase(
    () => 'Start the project: docker compose up -d (in the directory of its compose file)',
    () => '启动项目：在 compose 文件所在目录运行 docker compose up -d',
  ),
  composeLogs: phrase(
    (service: string) => `See why it is not running: docker compose logs ${service}`,
    (service: string) => `查看它为何没有运行：docker compose logs ${service}`,
  ),
  swarmInactive: phrase(
    () => 'This daemon is not a swarm manager: run docker swarm init first',
    () => '此守护进程不是 swarm 管理节点：先运行 docker swarm init',
  ),
  serviceMissing: phrase(
    (name: string) => `Create it: docker service create --name ${name} IMAGE`,
    (name: string) => `创建它：docker service create --name ${name} 镜像`,
  ),
  serviceTasks: phrase(
    (name: string) => `See why its tasks are not running: docker service ps ${name} --no-trunc`,
    (name: string) => `查看任务为何没有运行：docker service ps ${name} --no-trunc`,
  ),
  fileMissing: phrase(
    (path: string) => `Create the file ${path}`,
    (path: string) => `创建文件 ${path}`,
  ),
  fileOutside: phrase(
    (path: string, link: string) =>
      `${link} is a symbolic link that leads out of the lesson's working directory, so ${path} is not checked; remove the link (rm ${link}) and let the step write a real folder`,
    (path: string, link: string) =>
      `${link} 是指向课程工作目录之外的符号链接，所以不检查 ${path}；删除这个链接（rm ${link}），让这一步写入真正的文件夹`,
  ),
  fileMode: phrase(
    (path: string, mode: string) => `Change its mode: chmod ${mode} ${path}`,
    (path: string, mode: string) => `修改权限：chmod ${mode} ${path}`,
  ),
};

/** Words for actual values that describe a situation. */
export const WORDS = {
  aContainer: phrase(
    (name: string) => `a container named ${name}`,
    (name: string) => `名为 ${name} 的容器`,
  ),
  noSuchContainer: phrase(
    () => 'no such container',
    () => '没有这个容器',
  ),
  running: phrase(
    () => 'running',
    () => '运行中',
  ),
  notRunning: phrase(
    (status: string, exitCode?: number) =>
      exitCode === undefined ? status : `${status} (exit code ${exitCode})`,
    (status: string, exitCode?: number) =>
      exitCode === undefined ? status : `${status}（退出码 ${exitCode}）`,
  ),
  timedOut: phrase(
    (seconds: number) => `did not finish within ${seconds} s`,
    (seconds: number) => `${seconds} 秒内没有结束`,
  ),
  finishesWithin: phrase(
    (seconds: number) => `to finish within ${seconds} s`,
    (seconds: number) => `在 ${seconds} 秒内结束`,
  ),
  exitCodeLine: phrase(
    (code: number, line: string) => (line ? `exit code ${code}: ${line}` : `exit code ${code}`),
    (code: number, line: string) => (line ? `退出码 ${code}：${line}` : `退出码 ${code}`),
  ),
  aResponse: phrase(
    () => 'a response',
    () => '有响应',
  ),
  aRegistry: phrase(
    () => 'an answer of a registry (API v2)',
    () => '镜像仓库（API v2）的应答',
  ),
  connectionRefused: phrase(
    () => 'connection refused',
    () => '连接被拒绝',
  ),
  connectionClosed: phrase(
    () => 'connection closed without a response',
    () => '连接在响应前被关闭',
  ),
  noResponse: phrase(
    (seconds: number) => `no response within ${seconds} s`,
    (seconds: number) => `${seconds} 秒内没有响应`,
  ),
  hostUnknown: phrase(
    (host: string) => `host ${host} not found`,
    (host: string) => `找不到主机 ${host}`,
  ),
  httpStatus: phrase(
    (status: number) => `HTTP ${status}`,
    (status: number) => `HTTP ${status}`,
  ),
  notRegistry: phrase(
    (status: number) => `HTTP ${status}, but not a registry's JSON`,
    (status: number) => `HTTP ${status}，但不是镜像仓库的 JSON`,
  ),
  noServiceContainer: phrase(
    () => 'no container',
    () => '没有容器',
  ),
};

/** What each check looks at, for reports: `volume mydb`. */
export const SUBJECTS = {
  volume: phrase(
    (name: string) => `volume ${name}`,
    (name: string) => `数据卷 ${name}`,
  ),
  network: phrase(
    (name: string) => `network ${name}`,
    (name: string) => `网络 ${name}`,
  ),
  logs: phrase(
    (container: string) => `logs of container ${container}`,
    (container: string) => `容器 ${container} 的日志`,
  ),
  exec: phrase(
    (container: string, command: string) => `exec in ${container}: ${command}`,
    (container: string, command: string) => `在容器 ${container} 中执行：${command}`,
  ),
  port: phrase(
    (address: string) => `port ${address}`,
    (address: string) => `端口 ${address}`,
  ),
  http: phrase(
    (method: string, url: string) => `http ${method} ${url}`,
    (method: string, url: string) => `HTTP ${method} ${url}`,
  ),
  registry: phrase(
    (url: string, repository?: string) =>
      repository ? `registry ${url}, repository ${repository}` : `registry ${url}`,
    (url: string, repository?: string) =>
      repository ? `镜像仓库 ${url} 的 ${repository}` : `镜像仓库 ${url}`,
  ),
  compose: phrase(
    (project: string, service?: string) =>
      service ? `compose project ${project}, service ${service}` : `compose project ${project}`,
    (project: string, service?: string) =>
      service ? `compose 项目 ${project} 的服务 ${service}` : `compose 项目 ${project}`,
  ),
  service: phrase(
    (name: string) => `swarm service ${name}`,
    (name: string) => `swarm 服务 ${name}`,
  ),
  file: phrase(
    (path: string) => `file ${path}`,
    (path: string) => `文件 ${path}`,
  ),
};
