import type { Lang } from '../i18n/lang.js';
import type { CommandRuleId } from '../lesson/command-rules.js';

/** Every fixed word the TUI shows, in both languages. */
export interface UiStrings {
  courseTitle: string;
  listHelp: string;
  lessonHelp: string;
  quizHelp: string;
  steps: (done: number, total: number) => string;
  minutes: (text: string) => string;
  completed: string;
  imagesMissing: string;
  /** In the list, on a lesson whose images are not on the daemon. */
  imagesMark: string;
  /** After the title of a lesson shown in another language than the learner's. */
  untranslated: (lessonLang: Lang) => string;
  stepOf: (i: number, n: number) => string;
  willRun: string;
  youType: string;
  typeElsewhere: string;
  /** Where the lesson's commands run, for a learner typing in another terminal. */
  inFolder: (dir: string) => string;
  running: (command: string) => string;
  checking: string;
  /** While a check waits: what for, what it sees, how long of how long. */
  waiting: (subject: string, found: string | undefined, seconds: number, limit: number) => string;
  passed: string;
  failed: string;
  waitingForYou: string;
  hint: (i: number, n: number) => string;
  noMoreHints: string;
  noHints: string;
  solution: string;
  noSolution: string;
  lessonDone: string;
  outputLines: (shown: number, total: number) => string;
  /** Under a finished command whose output was cut: how to see it all. */
  outputMore: (shown: number, total: number) => string;
  noOutput: string;
  cleanupTitle: string;
  cleanupNothing: string;
  cleanupAsk: string;
  cleanedUp: (n: number) => string;
  keptResources: string;
  confirmCommand: string;
  yesNo: string;
  /** Before a step whose names are taken by something that is not the lesson's. */
  /** Before a lesson, when an interrupted earlier run left objects on the daemon. */
  leftoversTitle: string;
  inTheWayTitle: string;
  inTheWayItem: (type: 'container' | 'volume' | 'network', name: string) => string;
  inTheWayAsk: string;
  inTheWaySkipped: string;
  /** The trust screen of a lesson from outside the course. */
  trustTitle: (file: string) => string;
  /** Above the list when some items are marked `!`. */
  trustFlagged: string;
  trustNothing: string;
  /** Before an exec check's command (with the space after it, if the language wants one). */
  trustExec: (container: string) => string;
  trustWrites: (path: string, mode?: string) => string;
  /** After a `confirm` command. */
  trustAsksFirst: string;
  /** After a `manual` command. */
  trustYouType: string;
  /** Why a command is marked, by the command rule it trips (subject: what it reaches). */
  trustDanger: Record<CommandRuleId, (subject: string) => string>;
  trustAsk: string;
  handOff: string;
  quizRight: string;
  quizWrong: string;
  exitCode: (code: number | null) => string;
  /** The practice shell. */
  practice: {
    where: (workdir: string) => string;
    type: string;
    challenge: string;
    quiz: string;
    words: string;
    passed: (title: string) => string;
    lessonDone: string;
    nearMiss: (type: string, found: string, expected: string) => string;
    notYet: string;
    noStep: string;
    needsTerminal: string;
    leaving: string;
    /** Names of the kinds of object a near miss is about. */
    objects: Record<'container' | 'volume' | 'network' | 'image', string>;
  };
}

const en: UiStrings = {
  courseTitle: 'docker-lab — learn Docker by doing',
  listHelp: '↑/↓ choose · Enter or 1-9 open · q quit',
  // At most 79 columns: the whole line shows on an 80-column terminal.
  // t opens the practice shell: the learner types the step's commands themselves.
  lessonHelp: 'Enter run · t type · c check · h hint · s answer · n/p step · x reset · q leave',
  quizHelp: '1-9 choose · Enter answer · h hint · n next · p back · q leave',
  steps: (done, total) => `${done}/${total} steps`,
  minutes: (text) => text,
  completed: 'done',
  imagesMissing:
    'Lessons marked ! need images this daemon lacks: docker-lab images pull (offline: docker-lab images build-standins)',
  imagesMark: '! images',
  untranslated: (lessonLang) => (lessonLang === 'zh-CN' ? ' (in Chinese)' : ''),
  stepOf: (i, n) => `Step ${i} of ${n}`,
  willRun: 'Enter runs:',
  youType: 'Type this in a terminal of your own (I watch for the result):',
  typeElsewhere: 'or run it yourself in another terminal: this step completes on its own',
  inFolder: (dir) => `The lesson's folder: cd ${dir} (t opens a shell there)`,
  running: (command) => `running ${command}`,
  checking: 'checking…',
  waiting: (subject, found, seconds, limit) =>
    `waiting for ${subject}${found ? ` (now: ${found})` : ''}: ${seconds} s of ${limit} s`,
  passed: 'Step complete.',
  failed: 'Not yet:',
  waitingForYou: 'waiting for you',
  hint: (i, n) => `Hint ${i}/${n}`,
  noMoreHints: 'No more hints: s shows the solution.',
  noHints: 'This step has no hints.',
  solution: 'Solution',
  noSolution: 'This step has no separate solution: the commands above are it.',
  lessonDone: 'Lesson complete. q returns to the list.',
  outputLines: (shown, total) => `last ${shown} of ${total} lines`,
  outputMore: (shown, total) => `last ${shown} of ${total} lines; o shows them all`,
  noOutput: 'No command has run yet in this lesson.',
  cleanupTitle: 'This lesson created:',
  cleanupNothing: 'The lesson left nothing behind.',
  cleanupAsk:
    'Remove them now? Your own containers, images, volumes and networks are never touched. [Y/n]',
  cleanedUp: (n) => `Removed ${n} resource${n === 1 ? '' : 's'} the lesson created.`,
  keptResources: 'Kept. Remove them later with docker rm / docker volume rm / docker network rm.',
  confirmCommand:
    'This command reaches beyond the lesson and may affect things that are not the lesson’s:',
  yesNo: 'Run it? [y/N]',
  leftoversTitle:
    'An earlier run stopped before it could clean up (the daemon went away, or docker-lab was ended). It left:',
  inTheWayTitle:
    'This step creates names that are already taken by something that is not the lesson’s (yours, or left by an earlier run):',
  inTheWayItem: (type, name) => `${type} ${name}`,
  inTheWayAsk: 'y removes them and runs the step; n keeps them and skips the step. [y/N]',
  inTheWaySkipped: 'Kept yours and skipped this step: its checks would look at your objects.',
  trustTitle: (file) =>
    `${file} is not part of the bundled course. This is everything it will do on your machine:`,
  trustFlagged: 'Lines marked ! reach beyond the lesson: read them first.',
  trustNothing: 'It runs no commands and writes no files.',
  trustExec: (container) => `in container ${container}: `,
  trustWrites: (path, mode) =>
    `writes ${path} in the lesson's working directory${mode ? ` (mode ${mode})` : ''}`,
  trustAsksFirst: '(asks you before it runs)',
  trustYouType: '(you type it)',
  trustDanger: {
    'dangerous-command': (s) => `${s} acts on Docker resources that are not the lesson's`,
    sudo: () => 'runs as root through sudo',
    'docker-socket': () => 'hands a container the Docker socket: that is root on your machine',
    'host-mount': (s) => `mounts ${s} of your machine into a container`,
    privileged: (s) => `${s} gives a container power over your machine`,
    'pipe-to-shell': (s) => `${s} runs a script from the internet without showing it`,
    'rm-outside': (s) => `removes ${s}, outside the lesson's working directory`,
  },
  trustAsk: 'Trust this lesson? [y/N]',
  handOff: 'The terminal is yours: type, and exit the program to come back.',
  quizRight: 'Right.',
  quizWrong: 'Not quite: try again (h for a hint).',
  exitCode: (code) => (code === null ? 'killed' : `exit ${code}`),
  practice: {
    where: (workdir) =>
      `You are in the lesson's folder. To work here from another terminal:\n  cd ${workdir}`,
    type: 'Type:',
    challenge: 'Challenge: work out the command yourself.',
    quiz: 'This step is a question: type exit to answer it in docker-lab, or skip.',
    words: 'hint · solution · check · skip · back · exit (back to docker-lab)',
    passed: (title) => `✓ ${title}`,
    lessonDone: '✓ Lesson complete. Type exit to return to docker-lab.',
    nearMiss: (type, found, expected) =>
      `You created the ${type} ${found}; this step expects ${expected}.`,
    notYet: 'Not yet:',
    noStep: 'No step is open.',
    needsTerminal: 'practice needs a terminal: run it in a terminal window, not through a pipe',
    leaving: 'Back in docker-lab.',
    objects: { container: 'container', volume: 'volume', network: 'network', image: 'image' },
  },
};

const zh: UiStrings = {
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
  inTheWayItem: (type, name) =>
    `${{ container: '容器', volume: '数据卷', network: '网络' }[type]} ${name}`,
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
    objects: { container: '容器', volume: '数据卷', network: '网络', image: '镜像' },
  },
};

export function uiStrings(lang: Lang): UiStrings {
  return lang === 'zh-CN' ? zh : en;
}
