import { z } from 'zod';
import type { ComfyError, NodeErrors } from './comfyui-protocol';

/** An input's spec in `/object_info`: `[type]` or `[type, options]`; a list as type is a combo. */
const InputSpec = z.union([
  z.tuple([z.unknown()]),
  z.tuple([z.unknown(), z.record(z.string(), z.unknown())]),
]);

/** One node class as `GET /object_info` describes it (the fields the validation reads). */
export const NodeInfo = z
  .object({
    input: z
      .object({
        required: z.record(z.string(), InputSpec).default({}),
        optional: z.record(z.string(), InputSpec).default({}),
      })
      .loose()
      .default({ required: {}, optional: {} }),
    output: z.array(z.union([z.string(), z.array(z.unknown())])).default([]),
    output_node: z.boolean().default(false),
  })
  .loose();
export const ObjectInfo = z.record(z.string(), NodeInfo);
export type ObjectInfo = z.infer<typeof ObjectInfo>;

type Workflow = Record<
  string,
  { class_type?: unknown; inputs?: Record<string, unknown>; _meta?: { title?: string } }
>;

/** Python's repr of a value, as ComfyUI's messages print it. */
const repr = (v: unknown): string =>
  typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? `[${v.map(repr).join(', ')}]` : String(v);

const typeName = (t: unknown) => (Array.isArray(t) ? 'COMBO' : String(t));

/** ComfyUI's `validate_node_input`: `*` takes anything, and `A,B` types match if they share one. */
function typesMatch(received: string, wanted: string): boolean {
  if (received === wanted || received === '*' || wanted === '*') return true;
  const a = received.split(',').map((s) => s.trim());
  const b = new Set(wanted.split(',').map((s) => s.trim()));
  return a.some((t) => b.has(t));
}

const isLink = (v: unknown): v is [string, number] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';

function inputErrors(name: string, value: unknown, spec: z.infer<typeof InputSpec>): ComfyError[] {
  const [type, opts = {}] = spec as [unknown, Record<string, unknown>?];
  const error = (t: string, message: string, details: string): ComfyError[] => [
    { type: t, message, details, extra_info: { input_name: name, received_value: value } },
  ];
  let v = value;
  if (type === 'INT' || type === 'FLOAT') {
    v = typeof value === 'number' ? value : Number(value);
    if (typeof v !== 'number' || Number.isNaN(v) || (type === 'INT' && !Number.isInteger(v)))
      return error(
        'invalid_input_type',
        `Failed to convert an input value to a ${type} value`,
        `${name}, ${String(value)}, invalid literal`,
      );
  }
  if (typeof opts.min === 'number' && typeof v === 'number' && v < opts.min)
    return error('value_smaller_than_min', `Value ${v} smaller than min of ${opts.min}`, name);
  if (typeof opts.max === 'number' && typeof v === 'number' && v > opts.max)
    return error('value_bigger_than_max', `Value ${v} bigger than max of ${opts.max}`, name);
  const options = Array.isArray(type)
    ? type
    : type === 'COMBO' && Array.isArray(opts.options)
      ? opts.options
      : undefined;
  if (options && !options.includes(v)) {
    const list = options.length > 20 ? `(list of length ${options.length})` : repr(options);
    return error('value_not_in_list', 'Value not in list', `${name}: ${repr(v)} not in ${list}`);
  }
  return [];
}

/** What ComfyUI would make of a workflow: `error` when nothing of it can run, the failing nodes, the outputs that can. */
export interface WorkflowCheck {
  error?: ComfyError;
  node_errors: NodeErrors;
  /** Output nodes whose whole branch is valid: what ComfyUI would run. */
  outputs: string[];
}

/**
 * Checks a workflow in API format against a server's `/object_info` the way ComfyUI's `validate_prompt`
 * does before it queues one, with ComfyUI's own error shapes (a `POST /prompt` answers 400 with `error`
 * and `node_errors` when no output is valid, and queues the valid ones otherwise). Custom
 * `VALIDATE_INPUTS` hooks run only on the server, so a workflow that passes here can still be refused.
 */
export function validateWorkflow(workflow: Workflow, info: ObjectInfo): WorkflowCheck {
  const outputs: string[] = [];
  for (const [id, node] of Object.entries(workflow)) {
    const classType = node.class_type;
    if (typeof classType !== 'string' || !info[classType]) {
      const title = node._meta?.title ?? (typeof classType === 'string' ? classType : undefined);
      return {
        error: {
          type: 'missing_node_type',
          message:
            typeof classType === 'string'
              ? `Node '${title}' not found. The custom node may not be installed.`
              : `Node '${title ?? `ID #${id}`}' has no class_type. The workflow may be corrupted or a custom node is missing.`,
          details: `Node ID '#${id}'`,
          extra_info: { node_id: id, class_type: classType ?? null, node_title: title ?? null },
        },
        node_errors: {},
        outputs: [],
      };
    }
    if (info[classType]!.output_node) outputs.push(id);
  }
  if (outputs.length === 0)
    return {
      error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} },
      node_errors: {},
      outputs: [],
    };

  const validated = new Map<string, { valid: boolean; errors: ComfyError[] }>();
  const validate = (id: string): boolean => {
    const seen = validated.get(id);
    if (seen) return seen.valid;
    validated.set(id, { valid: true, errors: [] }); // a cycle ends here rather than looping
    const node = workflow[id]!;
    const def = info[node.class_type as string]!;
    const inputs = node.inputs ?? {};
    const errors: ComfyError[] = [];
    let valid = true;
    const specs = { ...def.input.optional, ...def.input.required };
    for (const [name, spec] of Object.entries(specs)) {
      if (!(name in inputs)) {
        if (name in def.input.required)
          errors.push({
            type: 'required_input_missing',
            message: 'Required input is missing',
            details: name,
            extra_info: { input_name: name },
          });
        continue;
      }
      const value = inputs[name];
      if (Array.isArray(value)) {
        if (!isLink(value)) {
          errors.push({
            type: 'bad_linked_input',
            message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
            details: name,
            extra_info: { input_name: name, received_value: value },
          });
          continue;
        }
        const source = workflow[value[0]];
        const sourceDef = source ? info[source.class_type as string] : undefined;
        if (!sourceDef) {
          validated.set(value[0], {
            valid: false,
            errors: [
              {
                type: 'exception_during_inner_validation',
                message: 'Exception when validating inner node',
                details: `'${value[0]}'`,
                extra_info: { input_name: name, linked_node: value },
              },
            ],
          });
          valid = false;
          continue;
        }
        const received = typeName(sourceDef.output[value[1]]);
        const wanted = typeName(spec[0]);
        if (!typesMatch(received, wanted)) {
          errors.push({
            type: 'return_type_mismatch',
            message: 'Return type mismatch between linked nodes',
            details: `${name}, received_type(${received}) mismatch input_type(${wanted})`,
            extra_info: { input_name: name, received_type: received, linked_node: value },
          });
          continue;
        }
        if (!validate(value[0])) valid = false;
        continue;
      }
      errors.push(...inputErrors(name, value, spec));
    }
    const result = { valid: valid && errors.length === 0, errors };
    validated.set(id, result);
    return result.valid;
  };

  const node_errors: NodeErrors = {};
  const good: string[] = [];
  for (const output of outputs) {
    if (validate(output)) {
      good.push(output);
      continue;
    }
    for (const [id, r] of validated) {
      if (r.valid || r.errors.length === 0) continue;
      node_errors[id] ??= {
        errors: r.errors,
        dependent_outputs: [],
        class_type: String(workflow[id]?.class_type ?? ''),
      };
      node_errors[id]!.dependent_outputs.push(output);
    }
  }
  if (good.length > 0) return { node_errors, outputs: good };
  const details = Object.values(node_errors)
    .flatMap((n) => n.errors.map((e) => `${e.message}: ${e.details}`))
    .join('\n');
  return {
    error: {
      type: 'prompt_outputs_failed_validation',
      message: 'Prompt outputs failed validation',
      details,
      extra_info: {},
    },
    node_errors,
    outputs: [],
  };
}
