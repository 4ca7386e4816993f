/** Code of the error that cuts off requests still outstanding when the run's drain deadline passes. */
export const runEndedCode = 'CUTOVER_RUN_ENDED'

/** A short, stable name for why a request failed without a usable response. */
export function errorKind (error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timeout'
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset'
    case 'ECONNREFUSED':
      return 'refused'
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return 'aborted'
    case runEndedCode:
      return 'cut off'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns'
    default:
      if (typeof code === 'string' && code !== '') return code
      if (error instanceof Error && /timed out/i.test(error.message)) return 'timeout'
      return 'error'
  }
}
