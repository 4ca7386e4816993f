/** A small, safe expression language for `{{ ... }}` templates: literals, names, dotted names and calls. No eval. */

export type Expression =
  | { kind: 'literal', value: string | number }
  | { kind: 'name', parts: string[] }
  | { kind: 'call', name: string, args: Expression[] }

/** A syntax error inside one template, with the offset in the expression text. */
export class TemplateSyntaxError extends Error {
  constructor (message: string, readonly offset: number) {
    super(message)
  }
}

type Token = { type: 'number' | 'string' | 'ident' | 'punct', text: string, value: string | number, offset: number }

function tokenize (source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const ch = source[i] ?? ''
    if (/\s/.test(ch)) { i++; continue }
    const rest = source.slice(i)
    const number = /^-?\d+(?:\.\d+)?/.exec(rest)
    if (number !== null) {
      tokens.push({ type: 'number', text: number[0], value: Number(number[0]), offset: i })
      i += number[0].length
      continue
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)
    if (ident !== null) {
      tokens.push({ type: 'ident', text: ident[0], value: ident[0], offset: i })
      i += ident[0].length
      continue
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1
      let text = ''
      while (j < source.length && source[j] !== ch) {
        if (source[j] === '\\' && j + 1 < source.length) j++
        text += source[j]
        j++
      }
      if (j >= source.length) throw new TemplateSyntaxError('unterminated string', i)
      tokens.push({ type: 'string', text: source.slice(i, j + 1), value: text, offset: i })
      i = j + 1
      continue
    }
    if ('(),.'.includes(ch)) {
      tokens.push({ type: 'punct', text: ch, value: ch, offset: i })
      i++
      continue
    }
    throw new TemplateSyntaxError(`unexpected character "${ch}"`, i)
  }
  return tokens
}

/** Deepest nesting of calls inside calls; parsing recurses once per level. */
const maxCallNesting = 32

/** Parses one expression such as `randomInt(1, 5000)`, `pick("a", "b")`, `env.HOME` or `products.sku`. */
export function parseExpression (source: string): Expression {
  const tokens = tokenize(source)
  let position = 0
  let nesting = 0
  const peek = (): Token | undefined => tokens[position]
  const expectPunct = (text: string): void => {
    const token = peek()
    if (token?.type !== 'punct' || token.text !== text) {
      throw new TemplateSyntaxError(`expected "${text}"${token === undefined ? ' at the end' : ` before "${token.text}"`}`, token?.offset ?? source.length)
    }
    position++
  }
  const parse = (): Expression => {
    const token = peek()
    if (token === undefined) throw new TemplateSyntaxError('empty expression', source.length)
    position++
    if (token.type === 'number' || token.type === 'string') return { kind: 'literal', value: token.value }
    if (token.type !== 'ident') throw new TemplateSyntaxError(`unexpected "${token.text}"`, token.offset)
    const next = peek()
    if (next?.type === 'punct' && next.text === '(') {
      if (++nesting > maxCallNesting) throw new TemplateSyntaxError(`calls nested more than ${maxCallNesting} deep`, token.offset)
      position++
      const args: Expression[] = []
      if (!(peek()?.type === 'punct' && peek()?.text === ')')) {
        args.push(parse())
        while (peek()?.type === 'punct' && peek()?.text === ',') {
          position++
          args.push(parse())
        }
      }
      expectPunct(')')
      nesting--
      return { kind: 'call', name: token.text, args }
    }
    const parts = [token.text]
    while (peek()?.type === 'punct' && peek()?.text === '.') {
      position++
      const part = peek()
      if (part?.type !== 'ident') throw new TemplateSyntaxError('expected a name after "."', part?.offset ?? source.length)
      position++
      parts.push(part.text)
    }
    return { kind: 'name', parts }
  }
  const expression = parse()
  const extra = peek()
  if (extra !== undefined) throw new TemplateSyntaxError(`unexpected "${extra.text}" after the expression`, extra.offset)
  return expression
}
