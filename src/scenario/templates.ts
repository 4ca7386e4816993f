import { createHash, createHmac, randomUUID } from 'node:crypto'
import { didYouMean } from './did-you-mean.js'
import { parseExpression, TemplateSyntaxError, type Expression } from './template-parser.js'

/** What a template may read while it renders: nothing else of the process or the file system. */
export interface RenderContext {
  /** A uniform random number in [0, 1), seeded per run. */
  random: () => number
  /** An environment variable (only those cutover was started with). */
  env: (name: string) => string | undefined
  /** The current row of a data source; the same row for every reference within one request. */
  row: (source: string) => Record<string, unknown>
  /** Values captured earlier in a journey. */
  vars: Record<string, unknown>
  /** A counter that increases with every call, per run. */
  next: () => number
}

/** What a template is allowed to refer to. */
export interface TemplateScope {
  dataSources: ReadonlySet<string>
  variables: ReadonlySet<string>
  /** When false, only literals and env are allowed (target URLs and start env). */
  dynamic: boolean
}

export type TemplateValue = string | number | boolean
type Evaluate = (ctx: RenderContext) => TemplateValue

/** A problem in a template, with the offset into the template text. */
export class TemplateError extends Error {
  constructor (message: string, readonly offset: number) {
    super(message)
  }
}

const functions: Record<string, { min: number, max: number, dynamic: boolean, usage: string }> = {
  randomInt: { min: 2, max: 2, dynamic: true, usage: 'randomInt(min, max)' },
  pick: { min: 1, max: Infinity, dynamic: true, usage: 'pick("a", "b", ...)' },
  env: { min: 1, max: 2, dynamic: false, usage: 'env("NAME") or env("NAME", "default")' },
  uuid: { min: 0, max: 0, dynamic: true, usage: 'uuid()' },
  counter: { min: 0, max: 0, dynamic: true, usage: 'counter()' },
  now: { min: 0, max: 0, dynamic: true, usage: 'now()' },
  isoTime: { min: 0, max: 1, dynamic: true, usage: 'isoTime() or isoTime(offsetSeconds)' },
  randomString: { min: 1, max: 2, dynamic: true, usage: 'randomString(length) or randomString(length, "alphabet")' },
  base64: { min: 1, max: 1, dynamic: false, usage: 'base64("text")' },
  sha256: { min: 1, max: 2, dynamic: false, usage: 'sha256("text") or sha256("text", "base64")' },
  hmacSha256: { min: 2, max: 3, dynamic: false, usage: 'hmacSha256("key", "message") or hmacSha256("key", "message", "base64")' }
}

/** Letters and digits: randomString's default alphabet. */
const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Longest randomString: a mistyped length must not build megabytes per request. */
const maxRandomStringLength = 4096

/** A digest's text: hex unless "base64" or "base64url" is asked for. */
function digestEncoding (value: TemplateValue | undefined): 'hex' | 'base64' | 'base64url' {
  return value === 'base64' || value === 'base64url' ? value : 'hex'
}

function compileExpression (expression: Expression, scope: TemplateScope, offset: number): Evaluate {
  if (expression.kind === 'literal') {
    const value = expression.value
    return () => value
  }
  if (expression.kind === 'name') {
    const [head = '', second, ...rest] = expression.parts
    if (head === 'env' && second !== undefined && rest.length === 0) {
      return (ctx) => ctx.env(second) ?? ''
    }
    if (scope.dynamic && scope.dataSources.has(head) && second !== undefined && rest.length === 0) {
      return (ctx) => {
        const row = ctx.row(head)
        // own columns only: `users.constructor` must not find Object.prototype.constructor
        const value = Object.hasOwn(row, second) ? row[second] : undefined
        return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : value as TemplateValue
      }
    }
    if (scope.dynamic && scope.variables.has(head) && second === undefined) {
      return (ctx) => {
        const value = Object.hasOwn(ctx.vars, head) ? ctx.vars[head] : undefined
        return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : value as TemplateValue
      }
    }
    const known = scope.dynamic ? [...scope.dataSources, ...scope.variables, 'env'] : ['env']
    const suggestion = didYouMean(head, known)
    const name = expression.parts.join('.')
    if (scope.dataSources.has(head)) throw new TemplateError(`"${name}": write ${head}.<column> to read a column of data source "${head}"`, offset)
    if (second !== undefined && scope.dynamic && suggestion === undefined) {
      throw new TemplateError(`unknown name "${name}": there is no data source "${head}" (declare data files under \`data:\`)`, offset)
    }
    throw new TemplateError(`unknown name "${name}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}` +
      (scope.dynamic ? '' : ' (only env.NAME and env("NAME") are allowed here)'), offset)
  }
  // own names only: `toString` or `constructor` must not reach Object.prototype
  const spec = Object.hasOwn(functions, expression.name) ? functions[expression.name] : undefined
  if (spec === undefined || (!scope.dynamic && spec.dynamic)) {
    const allowed = Object.keys(functions).filter((name) => scope.dynamic || !(functions[name]?.dynamic ?? true))
    const suggestion = didYouMean(expression.name, allowed)
    throw new TemplateError(`unknown function "${expression.name}"${suggestion === undefined ? `; available: ${allowed.join(', ')}` : `; did you mean "${suggestion}"?`}`, offset)
  }
  if (expression.args.length < spec.min || expression.args.length > spec.max) {
    throw new TemplateError(`${expression.name} takes ${spec.min === spec.max ? spec.min : `${spec.min} to ${spec.max}`} argument(s): ${spec.usage}`, offset)
  }
  const args = expression.args.map((arg) => compileExpression(arg, scope, offset))
  switch (expression.name) {
    case 'randomInt': {
      const [low, high] = args as [Evaluate, Evaluate]
      return (ctx) => {
        const min = Math.ceil(Number(low(ctx)))
        const max = Math.floor(Number(high(ctx)))
        return min + Math.floor(ctx.random() * (max - min + 1))
      }
    }
    case 'pick':
      return (ctx) => (args[Math.floor(ctx.random() * args.length)] ?? args[0] as Evaluate)(ctx)
    case 'env': {
      const [name, fallback] = args as [Evaluate, Evaluate | undefined]
      return (ctx) => ctx.env(String(name(ctx))) ?? (fallback === undefined ? '' : fallback(ctx))
    }
    case 'uuid':
      return () => randomUUID()
    case 'counter':
      return (ctx) => ctx.next()
    case 'isoTime': {
      const [offset] = args as [Evaluate | undefined]
      return (ctx) => new Date(Date.now() + (offset === undefined ? 0 : Number(offset(ctx)) * 1000 || 0)).toISOString()
    }
    case 'randomString': {
      const [length, alphabet] = args as [Evaluate, Evaluate | undefined]
      return (ctx) => {
        const count = Math.min(Math.max(0, Math.floor(Number(length(ctx)) || 0)), maxRandomStringLength)
        const letters = alphabet === undefined ? alphanumeric : String(alphabet(ctx)) || alphanumeric
        let out = ''
        for (let i = 0; i < count; i++) out += letters[Math.floor(ctx.random() * letters.length)]
        return out
      }
    }
    case 'base64': {
      const [text] = args as [Evaluate]
      return (ctx) => Buffer.from(String(text(ctx)), 'utf8').toString('base64')
    }
    case 'sha256': {
      const [text, encoding] = args as [Evaluate, Evaluate | undefined]
      return (ctx) => createHash('sha256').update(String(text(ctx)), 'utf8').digest(digestEncoding(encoding?.(ctx)))
    }
    case 'hmacSha256': {
      const [key, message, encoding] = args as [Evaluate, Evaluate, Evaluate | undefined]
      return (ctx) => createHmac('sha256', String(key(ctx))).update(String(message(ctx)), 'utf8').digest(digestEncoding(encoding?.(ctx)))
    }
    default:
      return () => Date.now()
  }
}

/** A compiled template string. */
export interface CompiledTemplate {
  /** Renders to text. */
  render: (ctx: RenderContext) => string
  /** Renders keeping the type when the whole string is one expression (`"{{ randomInt(1, 9) }}"` gives a number). */
  renderValue: (ctx: RenderContext) => TemplateValue
  /** True when the text has no `{{ }}`. */
  constant: boolean
}

/** Compiles `text` with its `{{ expression }}` parts; throws TemplateError with the offset of the problem. */
export function compileTemplate (text: string, scope: TemplateScope): CompiledTemplate {
  const pieces: Array<string | Evaluate> = []
  let last = 0
  // each "{{" is paired with the first "}}" after it; indexOf keeps this linear where /\{\{([\s\S]*?)\}\}/g was
  // quadratic on text full of unclosed "{{"
  for (let start = text.indexOf('{{'); start !== -1; start = text.indexOf('{{', last)) {
    const end = text.indexOf('}}', start + 2)
    if (end === -1) break
    if (start > last) pieces.push(text.slice(last, start))
    try {
      pieces.push(compileExpression(parseExpression(text.slice(start + 2, end)), scope, start))
    } catch (error) {
      if (error instanceof TemplateSyntaxError) throw new TemplateError(`in "${text.slice(start, end + 2)}": ${error.message}`, start)
      throw error
    }
    last = end + 2
  }
  if (last < text.length) pieces.push(text.slice(last))
  const unclosed = text.indexOf('{{', last)
  if (unclosed !== -1) throw new TemplateError('"{{" without a closing "}}"', unclosed)
  if (pieces.every((piece) => typeof piece === 'string')) {
    return { render: () => text, renderValue: () => text, constant: true }
  }
  const render = (ctx: RenderContext): string => {
    let out = ''
    for (const piece of pieces) out += typeof piece === 'string' ? piece : String(piece(ctx))
    return out
  }
  const only = pieces.length === 1 ? pieces[0] : undefined
  return { render, renderValue: typeof only === 'function' ? only : render, constant: false }
}
