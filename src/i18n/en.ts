/**
 * Every fixed word docker-lab shows to people, in English, grouped by where it is shown. This
 * object is the catalogue's shape (`Catalogue`): every other language's catalogue is typed as
 * it, so a missing, extra or mis-typed translation is a type error. Pick words with
 * `messages(lang)` (./messages.ts), never by testing the language in place.
 */
import { seconds } from './format.js';
import type { Lang } from './lang.js';

/** What the TUI names in the way of a step: an object of one of these types. */
export type ObjectType = 'container' | 'volume' | 'network';

export const en = {
  /** The check engine and its failure reports. */
  check: {
    duration: (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${seconds(ms)} s`),
    /** An actual value that is not there. */
    nothing: 'nothing',
    /** Joins a container's state, exit code and health. */
    stateSeparator: ', ',

    failed: (id: string, subject: string) => `✗ ${id}: ${subject}`,
    /** A learner's report heading: the check in words, no id. */
    failedWords: (what: string) => `✗ ${what}`,
    /** What was found, where the expectation is a pattern a learner should not have to read. */
    mismatchFound: (field: string, actual: string) => `${field}: found ${actual}`,
    /** After a log line (or block of lines) that came several times in a row. */
    logRepeated: (times: number, block: number) =>
      block > 1 ? `(these ${block} lines, ${times} times)` : `(${times} times)`,
    /** The command of the lesson that makes what the fix is about. */
    fixCommand: 'the lesson’s command:',
    mismatch: (field: string, expected: string, actual: string) =>
      `${field}: expected ${expected}, found ${actual}`,
    mismatchBlock: (field: string, expected: string) => `${field}: expected ${expected}`,
    found: 'found:',
    diffHeader: 'diff (- expected, + found):',
    negated: 'this check is negated (not: true), but every expectation held',
    attempts: (count: number, elapsed: string) =>
      count === 1 ? `tried once (${elapsed})` : `tried ${count} times in ${elapsed}`,
    /** Follows `attempts` on the same line. */
    timeout: (limit: string) => ` (timeout ${limit})`,
    stoppedEarly: (reason: string) => `stopped waiting early: ${reason}`,
    error: (message: string) => `could not evaluate: ${message}`,
    aborted: 'cancelled before a verdict',
    snapshot: (name: string, image: string, state: string) =>
      `container ${name} (${image}): ${state}`,
    exitCode: (code: number) => `exit code ${code}`,
    health: (status: string) => `health ${status}`,
    logTail: (lines: number) => (lines === 1 ? 'last log line:' : `last ${lines} log lines:`),
    /** A learner's report: the log lines shown are condensed; a key shows it whole. */
    logTailLearner: (lines: number) =>
      `its last ${lines} log lines, condensed (l shows the whole log):`,
    noLogs: 'no log output',
    fix: (text: string) => `likeliest fix: ${text}`,

    // Why waiting stopped early.
    terminalExited: (name: string, code: number) =>
      `container ${name} exited with code ${code} and will not start again by itself`,
    terminalDead: (name: string) => `container ${name} is dead`,
    // checks-container: health waits through unhealthy; only no health check at all is final.
    terminalNoHealthcheck: (name: string) =>
      `container ${name} has no health check, and cannot get one without being created again`,
    terminalOutput: 'the command has finished, so its output cannot change',

    // Engine problems.
    daemonTimeout: (limit: string) => `the Docker daemon did not answer within ${limit}`,
    daemonUnreachable: (detail: string) =>
      `cannot reach the Docker daemon (${detail}); docker-lab doctor tells why`,
    engineRefused: (detail: string) => `the Docker Engine refused the request: ${detail}`,
    kindUnavailable: (kind: string) =>
      `checks of kind "${kind}" are not available in this docker-lab`,

    // checks-output: output checks that wait (a background command, a re-run), and diffs.
    /** Under a diff whose lines show their invisible ends. */
    whitespaceLegend: '(⏎ ends a line, · is a space, → a tab)',
    // run-capture: checks scoped to what the lesson run created, captured values.
    createdByOutsideRun:
      '`createdBy` needs a lesson run, which records what it creates; run this check through docker-lab verify or the lesson',
    /** The field of a capture that could not be taken: `capture IP (from stdout)`. */
    captureField: (name: string, from: string) => `capture ${name} (from ${from})`,
    captureExpectedValue: 'one value',
    captureExpectedMatch: (pattern: string) => `a value matching /${pattern}/`,
    /** A failing step's report leads with the first command that exited non-zero. */
    commandFailedFirst: (command: string, code: number) =>
      `the first command that failed: \`${command}\`, exit ${code}:`,
    /** The output of a command in a failing step's report (the last lines when it is long). */
    commandOutput: (command: string, code: number | null, shown: number, total: number) =>
      `output of \`${command}\`${shown < total ? ` (last ${shown} of ${total} lines)` : ''}, ${code === null ? 'killed' : `exit ${code}`}:`,
    commandNoOutput: '(no output)',
    // near-miss: the learner typed one of the step's known mistakes (`yaml near-miss`).
    /** Leads a learner's report: what the lesson says is wrong with the command they typed. */
    knownMistake: (sentence: string) => `a typical mistake: ${sentence}`,
  },

  /** What a check looks at, for its report: `volume mydb`. */
  subject: {
    daemon: 'the Docker daemon',
    output: (command: string | undefined) =>
      command ? `output of command "${command}"` : "output of the step's last command",
    containerName: (name: string) => `container ${name}`,
    containerAncestor: (image: string) => `newest container created from ${image}`,
    containerLabel: (label: string) => `newest container labelled ${label}`,
    image: (name: string) => `image ${name}`,
    /** A kind with no subject of its own. */
    kind: (kind: string) => `${kind} check`,
    volume: (name: string) => `volume ${name}`,
    network: (name: string) => `network ${name}`,
    logs: (container: string) => `logs of container ${container}`,
    exec: (container: string, command: string) => `exec in ${container}: ${command}`,
    port: (address: string) => `port ${address}`,
    http: (method: string, url: string) => `http ${method} ${url}`,
    registry: (url: string, repository?: string) =>
      repository ? `registry ${url}, repository ${repository}` : `registry ${url}`,
    compose: (project: string, service?: string) =>
      service ? `compose project ${project}, service ${service}` : `compose project ${project}`,
    service: (name: string) => `swarm service ${name}`,
    file: (path: string) => `file ${path}`,
  },

  /** The likeliest fix for a failed check, per kind. */
  fix: {
    negated: 'this check must not hold: undo what made it true',
    generic: 'redo the step as the lesson shows',

    noOutput: "run the step's command first",
    unknownCommand: (id: string) => `no command with id "${id}" ran in this step; run it first`,
    exitCode: 'the command failed: read its error output above, correct it and run it again',
    outputText: "compare your command with the lesson's and run it again",
    // checks-output
    stillRunning: (command: string | undefined) =>
      `${command ? `the command "${command}"` : "the step's last command"} was started in the background and is still running, so it has no exit status yet: check what it printed (stdout, stderr, text), or stop it first`,
    rerunOutput: (command: string | undefined) =>
      `${command ? `the command "${command}"` : "the step's last command"} was run again until the check's timeout and never printed what was expected: make sure what it asks for is up, then run it again`,

    daemonUnreachable: (detail: string) =>
      `start the Docker daemon (${detail}); docker-lab doctor says what is wrong`,
    daemonSetting:
      "this is the daemon's configuration (daemon.json, or Docker Desktop's settings): change it and restart the daemon",

    containerMissing: (name: string | undefined) =>
      name
        ? `create it: docker run -d --name ${name} IMAGE`
        : 'create it with docker run as the lesson shows',
    containerFromImage: (image: string) => `run a container from the image: docker run -d ${image}`,
    containerExited: (name: string) =>
      `read why it stopped with docker logs ${name}, correct that, then docker start ${name}`,
    containerStart: (name: string) => `start it: docker start ${name}`,
    containerStop: (name: string) => `stop it: docker stop ${name}`,
    containerRemove: (name: string) => `remove it: docker rm -f ${name}`,
    containerUnhealthy: (name: string) =>
      `read the health check's output: docker inspect --format '{{json .State.Health}}' ${name}`,
    containerRecreate: (name: string) =>
      `these settings are fixed when a container is created: remove it (docker rm -f ${name}) and run it again with the right options`,
    containerCount: 'run or remove containers until the count is right',
    // checks-container: health details, restarts, files and sizes of images.
    containerNoHealthcheck: (name: string) =>
      `container ${name} has no health check (its image has no HEALTHCHECK and it was run without --health-cmd): remove it (docker rm -f ${name}) and run it again with --health-cmd`,
    containerRestarts: (name: string) =>
      `the restart count counts restarts by the restart policy: run it with --restart (on-failure or always) and let its command exit; docker inspect --format '{{.RestartCount}}' ${name} shows the count`,
    imageFile: (name: string, path: string) =>
      `${path} in the image comes from its Dockerfile (COPY, ADD, RUN): change it and rebuild: docker build -t ${name} .`,
    imageSize: (name: string) =>
      `make ${name} smaller: build in stages (FROM ... AS build) and COPY --from=build only what the program needs into a small last stage`,
    /** A container a check runs in (logs, exec) is not there. */
    noContainerNamed: (name: string) =>
      `No container is named ${name}: list them with docker ps -a`,
    containerStopped: (name: string) =>
      `Start it: docker start ${name} (its logs say why it stopped: docker logs ${name})`,

    imageMissing: (name: string) =>
      `build it (docker build -t ${name} .) or pull it (docker pull ${name})`,
    imageRemove: (name: string) => `remove it: docker rmi ${name}`,
    imageRebuild: (name: string) => `change the Dockerfile and rebuild: docker build -t ${name} .`,

    volumeMissing: (name: string) => `Create it: docker volume create ${name}`,
    volumeUnused: (name: string) => `Mount it in a container: docker run -v ${name}:/path ...`,
    networkMissing: (name: string) => `Create it: docker network create ${name}`,
    networkAttach: (name: string) =>
      `Attach the container: docker network connect ${name} CONTAINER`,
    logsMissing: (name: string) => `Look at what it printed: docker logs ${name}`,
    commandMissing: (name: string) =>
      `The command is not in the image of ${name}: check its spelling, or install it in the image`,
    portClosed: (port: number) =>
      `Publish it: docker run -p ${port}:PORT ... (and check the server in the container is listening)`,
    portOpen: (port: number) => `Stop what publishes it: docker ps --filter publish=${port}`,
    notForwarded: (port: number, url: string) =>
      `The daemon (${url}) shares no loopback with this machine: docker-lab forwards here only the ports this lesson's containers publish, and none of them publishes ${port}. Publish it from the lesson's container (docker run -p 127.0.0.1:${port}:PORT ...), then check again.`,
    httpRefused: () =>
      'Nothing answers there: is the container running and its port published (docker ps)?',
    registryPush: (url: string) =>
      `Tag and push it: docker tag IMAGE ${url}/NAME:TAG && docker push ${url}/NAME:TAG`,
    composeUp: () =>
      'Start the project: docker compose up -d (in the directory of its compose file)',
    composeLogs: (service: string) => `See why it is not running: docker compose logs ${service}`,
    swarmInactive: () => 'This daemon is not a swarm manager: run docker swarm init first',
    serviceMissing: (name: string) => `Create it: docker service create --name ${name} IMAGE`,
    serviceTasks: (name: string) =>
      `See why its tasks are not running: docker service ps ${name} --no-trunc`,
    fileMissing: (path: string) => `Create the file ${path}`,
    fileOutside: (path: string, link: string) =>
      `${link} is a symbolic link that leads out of the lesson's working directory, so ${path} is not checked; remove the link (rm ${link}) and let the step write a real folder`,
    fileMode: (path: string, mode: string) => `Change its mode: chmod ${mode} ${path}`,
    // run-capture: captured values.
    captureMissing:
      'make the step produce the value the capture reads, or correct the capture’s from or matches',
    captureNotSingle:
      'the capture’s from names a list or an object: name one element of it, like ports.0',
  },

  /** Expected and actual values that describe a situation rather than data. */
  word: {
    aContainer: (name: string) => `a container named ${name}`,
    noSuchContainer: () => 'no such container',
    running: () => 'running',
    // checks-output
    stillRunning: () => 'still running',
    notRunning: (status: string, exitCode?: number) =>
      exitCode === undefined ? status : `${status} (exit code ${exitCode})`,
    timedOut: (seconds: number) => `did not finish within ${seconds} s`,
    finishesWithin: (seconds: number) => `to finish within ${seconds} s`,
    exitCodeLine: (code: number, line: string) =>
      line ? `exit code ${code}: ${line}` : `exit code ${code}`,
    aResponse: () => 'a response',
    aRegistry: () => 'an answer of a registry (API v2)',
    connectionRefused: () => 'connection refused',
    connectionClosed: () => 'connection closed without a response',
    noResponse: (seconds: number) => `no response within ${seconds} s`,
    hostUnknown: (host: string) => `host ${host} not found`,
    httpStatus: (status: number) => `HTTP ${status}`,
    notRegistry: (status: number) => `HTTP ${status}, but not a registry's JSON`,
    noServiceContainer: () => 'no container',
    // checks-container: image sizes compared.
    anImage: (name: string) => `an image ${name}`,
    noSuchImage: () => 'no such image',
    lessThanSizeOf: (name: string, bytes: number) =>
      `less than the size of ${name} (${bytes} bytes)`,
    ratioOf: (matcher: string, name: string) => `${matcher}, as its size divided by ${name}'s`,
  },

  /** How a matcher is described: `contains "Hello"`, `starts with "a" and ends with "b"`. */
  matcher: {
    equals: 'equals',
    contains: 'contains',
    matches: 'matches',
    startsWith: 'starts with',
    endsWith: 'ends with',
    containsElement: 'has an element that',
    length: 'has a length that',
    not: 'not',
    all: 'all of',
    any: 'any of',
    and: ' and ',
    // checks-output: trim, lines, every.
    trim: (rest: string) => `trimmed, ${rest}`,
    lines: 'has lines that',
    lineCount: (count: number) => (count === 1 ? 'has 1 line' : `has ${count} lines`),
    every: 'every element',
  },

  /** Words a lesson's Markdown uses for its parts, in this language (matched case-insensitively). */
  lesson: {
    solutionHeadings: ['solution', 'answer'],
    hintPrefixes: ['hint'],
  },

  /** The TUI. */
  ui: {
    courseTitle: 'docker-lab — learn Docker by doing',
    listHelp: '↑/↓ choose · Enter or 1-9 open · q quit',
    // At most 79 columns: the whole line shows on an 80-column terminal.
    // t opens the practice shell: the learner types the step's commands themselves.
    lessonHelp: 'Enter run · t type · c check · h hint · s answer · n/p step · x reset · q leave',
    quizHelp: '1-9 choose · Enter answer · h hint · n next · p back · q leave',
    steps: (done: number, total: number) => `${done}/${total} steps`,
    minutes: (text: string) => text,
    completed: 'done',
    imagesMissing:
      'Lessons marked ! need images this daemon lacks: docker-lab images pull (offline: docker-lab images build-standins)',
    /** In the list, on a lesson whose images are not on the daemon. */
    imagesMark: '! images',
    /** After the title of a lesson shown in another language than the learner's. */
    untranslated: (lessonLang: Lang) => (lessonLang === 'zh-CN' ? ' (in Chinese)' : ''),
    stepOf: (i: number, n: number) => `Step ${i} of ${n}`,
    stepHeading: (i: number, n: number, title: string) => `Step ${i} of ${n}: ${title}`,
    willRun: 'Enter runs:',
    youType: 'Type this in a terminal of your own (I watch for the result):',
    typeElsewhere: 'or run it yourself in another terminal: this step completes on its own',
    /** Where the lesson's commands run, for a learner typing in another terminal. */
    inFolder: (dir: string) => `The lesson's folder: cd ${dir} (t opens a shell there)`,
    running: (command: string) => `running ${command}`,
    checking: 'checking…',
    /** While a check waits: what for, what it sees, how long of how long. */
    waiting: (subject: string, found: string | undefined, seconds: number, limit: number) =>
      `waiting for ${subject}${found ? ` (now: ${found})` : ''}: ${seconds} s of ${limit} s`,
    passed: 'Step complete.',
    failed: 'Not yet:',
    waitingForYou: 'waiting for you',
    hint: (i: number, n: number) => `Hint ${i}/${n}`,
    noMoreHints: 'No more hints: s shows the solution.',
    noHints: 'This step has no hints.',
    solution: 'Solution',
    noSolution: 'This step has no separate solution: the commands above are it.',
    lessonDone: 'Lesson complete. q returns to the list.',
    outputLines: (shown: number, total: number) => `last ${shown} of ${total} lines`,
    /** Under a finished command whose output was cut: how to see it all. */
    outputMore: (shown: number, total: number) =>
      `last ${shown} of ${total} lines; o shows them all`,
    noOutput: 'No command has run yet in this lesson.',
    noLogs: 'No failing check of this step looks at a container whose log l could show.',
    cleanupTitle: 'This lesson created:',
    cleanupNothing: 'The lesson left nothing behind.',
    cleanupAsk:
      'Remove them now? Your own containers, images, volumes and networks are never touched. [Y/n]',
    cleanedUp: (n: number) => `Removed ${n} resource${n === 1 ? '' : 's'} the lesson created.`,
    keptResources: 'Kept. Remove them later with docker rm / docker volume rm / docker network rm.',
    confirmCommand:
      'This command reaches beyond the lesson and may affect things that are not the lesson’s:',
    yesNo: 'Run it? [y/N]',
    /** Before a lesson, when an interrupted earlier run left objects on the daemon. */
    leftoversTitle:
      'An earlier run stopped before it could clean up (the daemon went away, or docker-lab was ended). It left:',
    /** Before a step whose names are taken by something that is not the lesson's. */
    inTheWayTitle:
      'This step creates names that are already taken by something that is not the lesson’s (yours, or left by an earlier run):',
    inTheWayItem: (type: ObjectType, name: string) => `${type} ${name}`,
    inTheWayAsk: 'y removes them and runs the step; n keeps them and skips the step. [y/N]',
    inTheWaySkipped: 'Kept yours and skipped this step: its checks would look at your objects.',
    /** The trust screen of a lesson from outside the course. */
    trustTitle: (file: string) =>
      `${file} is not part of the bundled course. This is everything it will do on your machine:`,
    /** Above the list when some items are marked `!`. */
    trustFlagged: 'Lines marked ! reach beyond the lesson: read them first.',
    trustNothing: 'It runs no commands and writes no files.',
    /** Before an exec check's command (with the space after it, if the language wants one). */
    trustExec: (container: string) => `in container ${container}: `,
    trustWrites: (path: string, mode?: string) =>
      `writes ${path} in the lesson's working directory${mode ? ` (mode ${mode})` : ''}`,
    /** After a `confirm` command. */
    trustAsksFirst: '(asks you before it runs)',
    /** After a `manual` command. */
    trustYouType: '(you type it)',
    /**
     * Why a command is marked, by the command rule it trips (subject: what it reaches). The keys
     * are lesson/command-rules.ts's CommandRuleId; ui/session.ts holds them to it.
     */
    trustDanger: {
      'dangerous-command': (s: string) => `${s} acts on Docker resources that are not the lesson's`,
      sudo: () => 'runs as root through sudo',
      'docker-socket': () => 'hands a container the Docker socket: that is root on your machine',
      'host-mount': (s: string) => `mounts ${s} of your machine into a container`,
      privileged: (s: string) => `${s} gives a container power over your machine`,
      'pipe-to-shell': (s: string) => `${s} runs a script from the internet without showing it`,
      'rm-outside': (s: string) => `removes ${s}, outside the lesson's working directory`,
    },
    trustAsk: 'Trust this lesson? [y/N]',
    handOff: 'The terminal is yours: type, and exit the program to come back.',
    quizRight: 'Right.',
    quizWrong: 'Not quite: try again (h for a hint).',
    // checks-output: a check runs the step's command again until its output matches.
    rerun: (attempt: number) => `↻ run again (${attempt}), a check waits for its output`,
    exitCode: (code: number | null) => (code === null ? 'killed' : `exit ${code}`),
    /** The practice shell. */
    practice: {
      where: (workdir: string) =>
        `You are in the lesson's folder. To work here from another terminal:\n  cd ${workdir}`,
      type: 'Type:',
      challenge: 'Challenge: work out the command yourself.',
      quiz: 'This step is a question: type exit to answer it in docker-lab, or skip.',
      words: 'hint · solution · check · skip · back · exit (back to docker-lab)',
      passed: (title: string) => `✓ ${title}`,
      lessonDone: '✓ Lesson complete. Type exit to return to docker-lab.',
      nearMiss: (type: string, found: string, expected: string) =>
        `You created the ${type} ${found}; this step expects ${expected}.`,
      notYet: 'Not yet:',
      noStep: 'No step is open.',
      needsTerminal: 'practice needs a terminal: run it in a terminal window, not through a pipe',
      leaving: 'Back in docker-lab.',
      besideTitle: 'You are in tmux: the shell can open in a pane beside the lesson.',
      besideAsk: 'Open it beside the lesson? (n: on this screen instead) [Y/n]',
      besideOpen:
        'Type in the pane on the right; each step here follows what you do there. exit in it closes it.',
      /** Names of the kinds of object a near miss is about. */
      objects: { container: 'container', volume: 'volume', network: 'network', image: 'image' },
    },
  },

  /** `docker-lab list`. */
  list: {
    heading: (done: number, total: number) =>
      `Docker course (English): ${done} of ${total} lesson${total === 1 ? '' : 's'} completed`,
    /** After the title of a lesson that is not in this language. */
    untranslated: '',
    imagesOk: 'images ✓',
    imagesMissing: (n: number) => `missing ${n}`,
    missingHeading: 'Missing images (get them with: docker-lab images pull):',
    empty: 'The course has no lessons in this language.',
  },

  /** A lesson run: what stops it. */
  run: {
    /** Resuming a lesson whose earlier objects are gone (run/resume.ts). */
    resumeNames: (head: string[], more: number) =>
      more > 0
        ? `${head.join(', ')} and ${more} more`
        : head.length === 1
          ? head[0]!
          : `${head.slice(0, -1).join(', ')} and ${head.at(-1)!}`,
    resumeRewound: (list: string, one: boolean, step: number) =>
      one
        ? `${list} was removed when you left the lesson: starting again at step ${step}, which creates it.`
        : `${list} were removed when you left the lesson: starting again at step ${step}, the first step that creates them.`,
    resumeSteps: (from: number, to: number) =>
      from === to ? `step ${from}` : `steps ${from}–${to}`,
    resumeRecreateTitle: (list: string, one: boolean, steps: string) =>
      `${list} ${one ? 'was' : 'were'} removed when you left the lesson. These commands of ${steps} make ${one ? 'it' : 'them'} again:`,
    resumeRecreateQuestion: (goOn: number, restart: number) =>
      `y runs them now and goes on at step ${goOn}; n starts again at step ${restart}. [Y/n]`,
    resumeRecreateDone: (list: string, goOn: number) =>
      `Made ${list} again: going on at step ${goOn}.`,
    resumeRecreateFailed: (step: number) =>
      `Step ${step} did not pass when run again: starting again there.`,
    /** The daemon went away: where, then what happened, what docker-lab did, what to do. */
    lostDuring: (lesson: string, step: string | undefined) =>
      step ? `during step "${step}" of ${lesson}` : `during ${lesson}`,
    lost: (during: string, summary: string) => `The Docker daemon went away ${during}. ${summary}`,
    lostStopped:
      'docker-lab stopped the lesson and every command it had started; your progress is kept. What the lesson had created is still on that daemon: the next docker-lab run on it names what is left and removes it.',
    lostWhatToDo: 'What to do:',
    lostRestart:
      '  - Start the daemon again (sudo systemctl start docker, or start Docker Desktop; on a machine set up by docker-lab: bash scripts/setup-docker.sh), then run the lesson again.',

    /** A command that failed outright (exit 125, 126, 127): what happened, what to do. */
    outright: {
      'docker-refused': 'docker refused it',
      'not-runnable': 'a program it names is there but cannot be run',
      'not-found': 'a program it names was not found',
    },
    outrightFix: {
      'docker-refused':
        'Fix what docker says (a name already in use, an image not on the daemon, a flag it does not know), then run the step again.',
      'not-runnable': 'Make the program executable (chmod +x), or run it with its interpreter.',
      'not-found': 'Install the program, or correct its name, then run the step again.',
    },
    outrightNoCompose:
      "This machine has no Compose v2 plugin: install it (docker-compose-plugin, or Debian's docker-compose 2.x), or use Compose v1's docker-compose.",
    outrightSaid: (said: string) => `: "${said}"`,
    outrightFailed: (where: string, exitCode: number, what: string, said: string, fix: string) =>
      `${where}: the command failed outright with exit ${exitCode}, ${what}${said}; its checks were not waited for. ${fix}`,
  },

  /** `docker-lab report`. */
  report: {
    written: (path: string) => `Your report is in ${path}: send this file to your instructor.`,
  },

  /** Lint's messages to authors that show an example in the lesson's language. */
  lint: {
    /** A check description as a learner reads it. */
    checkDescriptionExample: 'the container dl-hello exited with code 0',
  },

  /** `docker-lab new`: a lesson skeleton in this language that lints clean and verifies. */
  newLesson: {
    skeleton: (id: string, name: string) => `---
id: ${id}
title: "New lesson: change this title"
lang: en
summary: One sentence on what the learner can do after this lesson.
duration: 10m
images: [busybox]
---
# New lesson: change this title

One paragraph on what this lesson teaches and why it is worth learning.

## Run a container {#run}

Say what this step does. The command below is run, then the checks prove its result.

\`\`\`sh id=run
docker run --name ${name} busybox echo hello
\`\`\`

\`\`\`yaml check
- id: said-hello
  description: the container printed hello
  output: { command: run, stdout: { contains: "hello" }, exitCode: 0 }
- id: hello-exited
  description: the container ${name} exited with code 0
  container: { name: ${name}, status: exited, exitCode: 0 }
  fix: Remove the old container with \`docker rm ${name}\`, then run the step's command again.
\`\`\`

> Hint: \`docker run --name NAME IMAGE COMMAND\` makes a container from the image and runs the
> command in it.
`,
  },

  /** The TUI without a terminal (plain mode): what only a typed line can do. */
  plain: {
    /** A quiz step's help: a line of numbers is the answer. */
    quizHelp: 'type the number of your answer (several: 1,3) · h hint · n next · p back · q leave',
    /** A number in an answer that is not one of the choices. */
    choiceRange: (count: number) => `Answer with numbers from 1 to ${count}, like 2 or 1,3.`,
    /** Input ended (a pipe, a file) while a lesson was open: nobody is left to answer. */
    inputEnded:
      'Input ended: every question takes its default answer, so what this lesson created is removed and nothing of yours is touched.',
  },

  /** --sandbox: a throwaway Docker daemon for the lessons, and docker-lab env. */
  sandbox: {
    swept: (id: string) =>
      `Removed sandbox ${id}, left behind by a docker-lab run that was killed.`,
    starting: (engine: string, images: number) =>
      `Starting a Docker ${engine} sandbox${images > 0 ? ` and bringing in ${images} image${images === 1 ? '' : 's'} of the lesson` : ''} ...`,
    ready: (dockerHost: string, ms: number) =>
      `The sandbox is ready at ${dockerHost} (${(ms / 1000).toFixed(1)} s). Your own Docker is left as it is; the sandbox goes when you leave.`,
    envNone: (lesson: string) => `No sandbox is running for ${lesson}.`,
    envStart: (lesson: string) =>
      `Start one with "docker-lab ${lesson} --sandbox" (or "docker-lab practice ${lesson} --sandbox") and, while it is open, run "docker-lab env ${lesson}" again in another terminal.`,
    envHeader: (lesson: string, engine: string) =>
      `The Docker ${engine} sandbox of ${lesson}: paste these lines in your terminal, and docker talks to it.`,
    envBack: 'To go back to your own Docker afterwards:',
    envShell: (shell: string) => `--shell is sh or fish, not "${shell}".`,
  },
  /** A lesson of several nodes (front matter nodes: 3), which runs only in a sandbox. */
  cluster: {
    starting: (lesson: string, nodes: number) =>
      `${lesson} runs on ${nodes} Docker daemons of its own (manager, worker1, ...): it opens in a sandbox of ${nodes} nodes, in containers on your Docker, removed when you leave.`,
    openAlone: (lesson: string, nodes: number) =>
      `${lesson} runs on ${nodes} Docker daemons of its own: open it with "docker-lab ${lesson}", which starts them in a sandbox.`,
    envNodes:
      'Each node: docker --host "$WORKER1" ... reaches its daemon, $WORKER1_IP is its address on the cluster network.',
  },
};

/** What an entry of en says, widened: a sentence of any words, in the same arguments. */
type Shape<T> = T extends (...args: infer A) => unknown
  ? (...args: A) => string
  : T extends readonly string[]
    ? readonly string[]
    : T extends string
      ? string
      : { [K in keyof T]: Shape<T[K]> };

/** The shape of every language's catalogue. */
export type Catalogue = Shape<typeof en>;
