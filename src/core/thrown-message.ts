/** The text of anything thrown: an Error's message (with its name unless plain `Error`), or the value as text. */
export function thrownMessage (error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
  return String(error)
}
