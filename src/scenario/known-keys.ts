import type { z } from 'zod'

type AnySchema = z.ZodType
type Def = { type: string, shape?: Record<string, AnySchema>, element?: AnySchema, valueType?: AnySchema, innerType?: AnySchema, options?: AnySchema[], in?: AnySchema, out?: AnySchema }

function defOf (schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def
}

/** The object schemas a value at `path` may match, looking through optional, union and pipe wrappers. */
function objectsAt (schema: AnySchema, path: ReadonlyArray<PropertyKey>): AnySchema[] {
  const def = defOf(schema)
  switch (def.type) {
    case 'optional': case 'nullable': case 'default': case 'catch': case 'readonly':
      return def.innerType === undefined ? [] : objectsAt(def.innerType, path)
    case 'pipe':
      return def.in === undefined ? [] : objectsAt(def.in, path)
    case 'union':
      return (def.options ?? []).flatMap((option) => objectsAt(option, path))
  }
  if (path.length === 0) return def.type === 'object' ? [schema] : []
  const [head, ...rest] = path
  if (def.type === 'object') {
    const child = def.shape?.[String(head)]
    return child === undefined ? [] : objectsAt(child, rest)
  }
  if (def.type === 'array' && def.element !== undefined) return objectsAt(def.element, rest)
  if (def.type === 'record' && def.valueType !== undefined) return objectsAt(def.valueType, rest)
  return []
}

/** Every key the schema accepts for the object at `path`; used for did-you-mean hints. */
export function knownKeysAt (schema: AnySchema, path: ReadonlyArray<PropertyKey>): string[] {
  const keys = new Set<string>()
  for (const object of objectsAt(schema, path)) {
    for (const key of Object.keys(defOf(object).shape ?? {})) keys.add(key)
  }
  return [...keys]
}
