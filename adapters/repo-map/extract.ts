// From a parsed tree to the map's view of a file: its definitions with their signatures (the
// declaration without its body) and the identifiers it uses.

import type * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { MapDefinition } from '../../core/contracts/repo-map.js';
import { DEFINITIONS, IDENTIFIER_TYPES, type DefinitionRule, type Grammar } from './languages.js';

type Node = TreeSitter.Node;

/** A signature is what the map prints for a definition: a few lines at most. */
const MAX_SIGNATURE_CHARS = 400;

export interface Extracted {
  definitions: MapDefinition[];
  references: string[];
}

export function extractSymbols(tree: TreeSitter.Tree, grammar: Grammar, source: string): Extracted {
  const rules = DEFINITIONS[grammar];
  const definitions: MapDefinition[] = [];
  const nameStarts = new Set<number>();
  const references = new Set<string>();
  const cursor = tree.walk();
  try {
    let descending = true;
    for (;;) {
      if (descending) {
        const type = cursor.nodeType;
        const rule = rules[type];
        if (rule) {
          const found = definitionAt(cursor.currentNode, rule, grammar, source);
          if (found) {
            definitions.push(found.definition);
            nameStarts.add(found.nameStart);
          }
        } else if (IDENTIFIER_TYPES.has(type) && !nameStarts.has(cursor.startIndex)) {
          const text = cursor.nodeText;
          if (text.length > 1) references.add(text);
        }
        if (cursor.gotoFirstChild()) continue;
      }
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descending = false;
    }
  } finally {
    cursor.delete();
  }
  for (const d of definitions) references.delete(d.name);
  return { definitions, references: [...references].sort() };
}

function definitionAt(node: Node, rule: DefinitionRule, grammar: Grammar, source: string): { definition: MapDefinition; nameStart: number } | undefined {
  if (rule.topLevelOnly && !isTopLevel(node) && !bindsFunction(node)) return undefined;
  if (node.type === 'assignment_expression' && !bindsFunction(node)) return undefined;
  const nameNode = nameOf(node, grammar);
  if (!nameNode) return undefined;
  const start = signatureStart(node, grammar);
  const end = signatureEnd(node, grammar, source);
  const signature = cleanSignature(goPrefix(node, grammar) + source.slice(start, Math.max(end, start)));
  if (!signature) return undefined;
  return {
    definition: { name: nameNode.text, kind: kindOf(node, rule), line: node.startPosition.row + 1, signature },
    nameStart: nameNode.startIndex,
  };
}

const FUNCTION_VALUES = /^(arrow_function|function_expression|function|generator_function)$/;

/** A declarator or an assignment whose value is a function: a definition wherever it sits. */
function bindsFunction(node: Node): boolean {
  if (node.type !== 'variable_declarator' && node.type !== 'assignment_expression') return false;
  const value = node.childForFieldName(node.type === 'variable_declarator' ? 'value' : 'right');
  return !!value && FUNCTION_VALUES.test(value.type);
}

function nameOf(node: Node, grammar: Grammar): Node | null {
  if (node.type === 'assignment_expression') {
    const left = node.childForFieldName('left');
    if (left?.type === 'identifier') return left;
    return left?.type === 'member_expression' ? left.childForFieldName('property') : null;
  }
  if (grammar === 'python' && node.type === 'assignment') {
    const left = node.childForFieldName('left');
    return left?.type === 'identifier' ? left : null;
  }
  if (grammar === 'rust' && node.type === 'impl_item') return node.childForFieldName('type');
  const name = node.childForFieldName('name');
  if (!name) return null;
  // `const { a, b } = …` destructures: no one name to define.
  return name.type.endsWith('pattern') ? null : name;
}

function kindOf(node: Node, rule: DefinitionRule): string {
  if (node.type === 'variable_declarator' && bindsFunction(node)) return 'function';
  return rule.kind;
}

/** Only the module's own constants count, not every local variable. */
function isTopLevel(node: Node): boolean {
  let parent = node.parent;
  // Hop over the wrappers between a declarator and the file: the declaration, an export, an expression statement.
  while (
    parent &&
    /^(lexical_declaration|variable_declaration|export_statement|expression_statement|const_declaration|var_declaration|var_spec_list)$/.test(parent.type)
  ) {
    parent = parent.parent;
  }
  return !!parent && /^(program|module|source_file)$/.test(parent.type);
}

/** Start at the `export` or the `const` that carries the definition, so the signature reads as written. */
function signatureStart(node: Node, grammar: Grammar): number {
  let start = node;
  if (node.type === 'variable_declarator' && node.parent) start = node.parent;
  if (grammar !== 'python' && grammar !== 'go' && start.parent?.type === 'export_statement') start = start.parent;
  return start.startIndex;
}

/** Where the body begins: everything before it is the signature. No body: the whole node, capped. */
function signatureEnd(node: Node, grammar: Grammar, source: string): number {
  if (node.type === 'variable_declarator' || node.type === 'assignment_expression') {
    const value = node.childForFieldName(node.type === 'variable_declarator' ? 'value' : 'right');
    if (!value) return node.endIndex;
    const body = value.childForFieldName('body');
    return body ? body.startIndex : Math.min(value.endIndex, value.startIndex + 80);
  }
  if (grammar === 'go' && node.type === 'type_spec') {
    const type = node.childForFieldName('type');
    if (type && /^(struct_type|interface_type)$/.test(type.type)) return type.startIndex + type.text.indexOf('{');
    return node.endIndex;
  }
  const body = node.childForFieldName('body');
  if (body) return body.startIndex;
  // No body (a constant, a macro, a type alias): its first line says enough.
  const newline = source.indexOf('\n', node.startIndex);
  return newline >= 0 && newline < node.endIndex ? newline : node.endIndex;
}

/** A Go spec sits inside its `type (…)`/`const (…)` group: the keyword is put back so the line reads alone. */
function goPrefix(node: Node, grammar: Grammar): string {
  if (grammar !== 'go') return '';
  return node.type === 'type_spec' ? 'type ' : node.type === 'const_spec' ? 'const ' : node.type === 'var_spec' ? 'var ' : '';
}

function cleanSignature(text: string): string {
  let s = text.trim().replace(/\s*(\{|=>|=)$/, '');
  if (s.length > MAX_SIGNATURE_CHARS) s = s.slice(0, MAX_SIGNATURE_CHARS - 1) + '…';
  return s;
}
