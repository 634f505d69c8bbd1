import { openCourse } from './tui.js';
import type { CommandMain } from './types.js';

const HELP = `Usage: docker-lab practice LESSON [--lang en|zh-CN] [--sandbox [--engine 20.10|26.1]]

Opens the lesson in a shell of your own (bash), in the lesson's folder and on the lesson's
Docker daemon. You type the commands; each step is checked as you type them and the next
step is shown when it passes. Inside the shell: hint, solution, check, skip, back; exit
returns to the lesson in docker-lab, where leaving it offers to remove what it created.

  LESSON          a course lesson id (first-run) or a lesson file of your own
  --lang L        en or zh-CN (default: from LANG / LC_ALL)
  --sandbox       in a throwaway Docker daemon, in a container on yours, removed when you
                  leave; the shell is on it already (docker-lab env LESSON, for another one)
  --engine V      the sandbox's Docker Engine: 20.10 or 26.1 (default 26.1 if built)`;

export const main: CommandMain = (args, io) => openCourse(args, io, { practice: true, help: HELP });
