// Every edit format Ouro can ask a model for, in one list. A format is one
// unit (./search-replace.ts, ./whole-file.ts): the instructions the prompt
// gives, the parser of the reply and, where it has one, the small-model
// path. Adding a format means adding a unit here; the CLI's --edit-format
// choices and the config schema follow.
import { SEARCH_RE, type ParseResult } from '../reply-syntax.js';
import { searchReplace } from './search-replace.js';
import { wholeFile } from './whole-file.js';

const UNITS = { [searchReplace.name]: searchReplace, [wholeFile.name]: wholeFile };

export type EditFormat = keyof typeof UNITS;
export const EDIT_FORMATS = Object.keys(UNITS) as [EditFormat, ...EditFormat[]];

export function parseEdits(reply: string, format: EditFormat): ParseResult {
  return UNITS[format].parse(reply.split(/\r?\n/));
}

/**
 * The configured format first; a reply written wholly in the other format is accepted too. Where
 * neither parses, the error is the one of the format the reply is written in (SEARCH markers:
 * search-replace), so a search-replace reply cut at the reply cap is told that, not to write whole files.
 */
export function parseEitherFormat(reply: string, format: EditFormat): ParseResult {
  const first = parseEdits(reply, format);
  if (first.ok) return first;
  const otherFormat: EditFormat = format === 'whole-file' ? 'search-replace' : 'whole-file';
  const other = parseEdits(reply, otherFormat);
  if (other.ok) return other;
  const writtenIn: EditFormat = reply.split(/\r?\n/).some((l) => SEARCH_RE.test(l)) ? 'search-replace' : format;
  return writtenIn === format ? first : other;
}

/** The format's rules and example, as the prompt gives them. */
export function describeFormat(format: EditFormat): string {
  return UNITS[format].instructions;
}
