// `ouro evolve`: start an evolutionary search, or, with status / report / stop / pause / resume / hint
// and an evolve id, look at or steer one (one command, the first argument telling them apart).
import type { Command } from 'commander';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';
import { baseUrlOption, benchModeOption, editFormatOption, jsonOption, modelOption, preflightOption } from './options.js';

const evolveModule = () => import('../commands/evolve.js');
const evolveCommand = lazy(evolveModule, 'evolveCommand');
const evolveControlCommand = lazy(evolveModule, 'evolveControlCommand');
const evolveReportCommand = lazy(evolveModule, 'evolveReportCommand');
const evolveStatusCommand = lazy(evolveModule, 'evolveStatusCommand');
const evolveStopCommand = lazy(evolveModule, 'evolveStopCommand');

export function registerEvolve(program: Command): void {
  program
    .command('evolve')
    .description('keep improving: an evolutionary search over a repository, scored by its benchmark, gated improvements promoted onto a branch')
    .argument('<repo>', 'the repository to evolve, or status / report / stop / pause / resume / hint, followed by an evolve id')
    .argument('[id]', 'with a subcommand: the evolve id')
    .option('-g, --goal <text>', 'what to improve (the model sees it with every parent)')
    .option('-f, --files <globs>', 'comma-separated paths/globs the model may change')
    .option('-t, --test <command>', 'the tests every program must pass')
    .option('--quick-test <command>', 'a cheap check run first (a cascade: most broken programs stop here)')
    .option('-b, --bench <command>', 'the benchmark that scores programs (speed-up over the base)')
    .addOption(benchModeOption())
    .option('--bench-runs <n>', 'most A/B pairs per benchmark decision')
    .option('-d, --drafts <spec>', 'providers that draft, e.g. cerebras:1,local:1 (a bandit picks among them)')
    .addOption(modelOption())
    .addOption(baseUrlOption())
    .addOption(editFormatOption())
    .option('--base <ref>', 'the commit the search starts from', 'HEAD')
    .option('--source <url>', 'where sandbox hosts fetch the repository')
    .option('--parallel <n>', 'evaluations in flight (default 2)')
    .option('--max-drafts <n>', 'budget: drafts in all (in-flight ones counted)')
    .option('--max-tokens <n>', 'budget: tokens in all (each draft out reserved at its worst case)')
    .option('--max-hours <h>', 'budget: wall hours')
    .option('--max-cost <usd>', 'budget: US dollars, by the "prices" of ouro.config.json (each draft out reserved at its worst case)')
    .option('--text <hint>', 'with hint: the guidance to add')
    .option('--islands <n>', 'separate populations, migrating now and then (default 3)')
    .option('--margin <fraction>', 'a program is promoted when it beats the champion by more than this (default 0.02)')
    .option(
      '--metric <name>',
      "what to maximise: a metric of the benchmark's JSON lines, improved over the base in its own direction (default: the first metric, the gate's)",
    )
    .option('--features <dims>', 'the archive grid: up to three of size, diff, metric:<name> (default size,diff)')
    .option('--migrate-every <n>', 'evaluations between migrations of each island’s best to the next (default 10; 0: never)')
    .option('--explore <share>', 'share of parents drawn uniformly from an island’s elites rather than by score (default 0.2)')
    .option(
      '--strategy <name>',
      'how parents are chosen: evolve (the archive, default), greedy (always the best so far) or sample (every draft from the base, independent)',
    )
    .option('--id <evolveId>', 'workflow id')
    .option('--out <folder>', 'with report: where <id>-report.md and .html go (default: here)')
    .addOption(preflightOption())
    .option('-w, --wait', 'follow progress until the search ends')
    .addOption(jsonOption())
    .action(
      exitWith((target: string, id: string | undefined, o) =>
        target === 'status'
          ? evolveStatusCommand(id, o)
          : target === 'stop'
            ? evolveStopCommand(id)
            : target === 'report'
              ? evolveReportCommand(id, o)
              : target === 'pause' || target === 'resume' || target === 'hint'
                ? evolveControlCommand(target, id, o)
                : evolveCommand(target, o),
      ),
    );
}
