// A fixed-rate (open-loop) HTTP generator for bench:proxy, run as its own pinned process:
//   node fixed-rate.mjs <url> <rate> <seconds> [warm-up seconds]
// Sends `rate` GET requests a second over 20 keep-alive connections (undici, TCP_NODELAY as browsers and most HTTP
// clients set it), times each from its intended send time (so a stall cannot hide), and prints one JSON line:
// { p50, p90, p99, max, sent, errors } in milliseconds. The warm-up seconds run at the same rate and are not counted:
// the first seconds of a Node.js service are its JIT compiling and its connections opening, not its steady cost.
// (autocannon leaves Nagle's algorithm on: through a proxy, its next request on a connection can wait for a delayed
// ACK, up to 40 ms on Linux, a stall of the client that direct runs to nginx do not show.)
import { createHistogram } from 'node:perf_hooks'
import { Pool } from 'undici'

const [url, rateText, secondsText, warmText] = process.argv.slice(2)
const rate = Number(rateText)
const seconds = Number(secondsText)
const warm = Number(warmText ?? 0)
const pool = new Pool(url, { connections: 20, pipelining: 1 })
const histogram = createHistogram()
let errors = 0

async function phase (lengthSec, record) {
  const total = Math.round(rate * lengthSec)
  const start = performance.now()
  let sent = 0
  let done = 0
  await new Promise((resolve) => {
    const finished = () => { if (++done === total) resolve() }
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) * rate / 1000))
      while (sent < due) {
        const intended = start + sent * 1000 / rate
        sent++
        pool.request({ path: '/', method: 'GET' }).then(async (response) => {
          await response.body.text()
          if (record) histogram.record(Math.max(1, Math.round((performance.now() - intended) * 1000)))
          finished()
        }, () => { if (record) errors++; finished() })
      }
      if (sent < total) setTimeout(tick, 1)
    }
    if (total === 0) resolve()
    else tick()
  })
  return total
}

await phase(warm, false)
const sent = await phase(seconds, true)
const ms = (us) => Number((us / 1000).toFixed(3))
process.stdout.write(`${JSON.stringify({ p50: ms(histogram.percentile(50)), p90: ms(histogram.percentile(90)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), sent, errors })}\n`)
await pool.close()
