// Which grammar reads which file, and which of its nodes are definitions. The grammars are the
// WebAssembly builds in @vscode/tree-sitter-wasm, which ships the runtime they were built against.

import type { MapLanguage } from '../../core/contracts/repo-map.js';

export type Grammar = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust';

const BY_EXTENSION: Record<string, { language: MapLanguage; grammar: Grammar }> = {
  '.ts': { language: 'typescript', grammar: 'typescript' },
  '.mts': { language: 'typescript', grammar: 'typescript' },
  '.cts': { language: 'typescript', grammar: 'typescript' },
  '.tsx': { language: 'typescript', grammar: 'tsx' },
  // The tsx grammar reads JSX as well as plain JavaScript.
  '.js': { language: 'javascript', grammar: 'javascript' },
  '.jsx': { language: 'javascript', grammar: 'javascript' },
  '.mjs': { language: 'javascript', grammar: 'javascript' },
  '.cjs': { language: 'javascript', grammar: 'javascript' },
  '.py': { language: 'python', grammar: 'python' },
  '.pyi': { language: 'python', grammar: 'python' },
  '.go': { language: 'go', grammar: 'go' },
  '.rs': { language: 'rust', grammar: 'rust' },
};

export function languageOf(path: string): { language: MapLanguage; grammar: Grammar } | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return BY_EXTENSION[path.slice(dot).toLowerCase()];
}

/** A definition node type, the kind the map calls it, and whether only a top-level one counts (a constant, not every local). */
export interface DefinitionRule {
  kind: string;
  topLevelOnly?: boolean;
}

const JS_DEFINITIONS: Record<string, DefinitionRule> = {
  function_declaration: { kind: 'function' },
  generator_function_declaration: { kind: 'function' },
  class_declaration: { kind: 'class' },
  class: { kind: 'class' },
  method_definition: { kind: 'method' },
  // A constant counts at the top level only; a function bound to a name counts anywhere (extract.ts).
  variable_declarator: { kind: 'const', topLevelOnly: true },
  // `proto.tz = function (…)`, `Foo.prototype.bar = …`, `module.exports.parse = …`: how plugins and older code define methods.
  assignment_expression: { kind: 'method' },
};

const TS_DEFINITIONS: Record<string, DefinitionRule> = {
  ...JS_DEFINITIONS,
  abstract_class_declaration: { kind: 'class' },
  interface_declaration: { kind: 'interface' },
  type_alias_declaration: { kind: 'type' },
  enum_declaration: { kind: 'enum' },
  abstract_method_signature: { kind: 'method' },
  function_signature: { kind: 'function' },
  internal_module: { kind: 'namespace' },
};

export const DEFINITIONS: Record<Grammar, Record<string, DefinitionRule>> = {
  typescript: TS_DEFINITIONS,
  tsx: TS_DEFINITIONS,
  javascript: JS_DEFINITIONS,
  python: {
    function_definition: { kind: 'function' },
    class_definition: { kind: 'class' },
    assignment: { kind: 'variable', topLevelOnly: true },
  },
  go: {
    function_declaration: { kind: 'func' },
    method_declaration: { kind: 'method' },
    type_spec: { kind: 'type' },
    const_spec: { kind: 'const', topLevelOnly: true },
    var_spec: { kind: 'var', topLevelOnly: true },
    method_elem: { kind: 'method' },
  },
  rust: {
    function_item: { kind: 'fn' },
    function_signature_item: { kind: 'fn' },
    struct_item: { kind: 'struct' },
    enum_item: { kind: 'enum' },
    union_item: { kind: 'union' },
    trait_item: { kind: 'trait' },
    impl_item: { kind: 'impl' },
    type_item: { kind: 'type' },
    const_item: { kind: 'const' },
    static_item: { kind: 'static' },
    mod_item: { kind: 'mod' },
    macro_definition: { kind: 'macro' },
  },
};

/** Node types whose text is an identifier a file uses: the references of the graph. */
export const IDENTIFIER_TYPES = new Set([
  'identifier',
  'type_identifier',
  'property_identifier',
  'shorthand_property_identifier',
  'shorthand_property_identifier_pattern',
  'field_identifier',
]);
