// The demo's catalogue service. One file serves both versions, as a team replacing a service would have them:
//   VERSION=1  the old implementation: linear search, no order cache
//   VERSION=2  the new implementation: indexed search, and an order cache that is never trimmed
// Plain node:http, no dependencies. PORT sets the port (default 3001).
import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'

const version = process.env.VERSION === '2' ? 2 : 1
const port = Number(process.env.PORT ?? 3001)
const words = ['shoe', 'hat', 'sock', 'scarf', 'glove', 'belt', 'coat', 'boot']
const products = Array.from({ length: 5000 }, (_, i) => ({
  id: i + 1,
  name: `${words[i % words.length]} ${Math.floor(i / words.length) + 1}`,
  price: Math.round(((i * 7919) % 10000) + 99) / 100,
  currency: 'EUR'
}))
const index = new Map()
for (const product of products) {
  const word = product.name.split(' ')[0]
  if (!index.has(word)) index.set(word, [])
  index.get(word).push(product)
}
const orders = new Map()
let nextOrder = 1

function send (res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function search (q) {
  if (version === 2) return index.get(q) ?? []
  return products.filter((p) => p.name.startsWith(q + ' '))
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost')
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { ok: true, version })
  const product = /^\/products\/(\d+)$/.exec(url.pathname)
  if (req.method === 'GET' && product) {
    const found = products[Number(product[1]) - 1]
    if (!found) return send(res, 404, { error: 'not found' })
    return send(res, 200, { ...found, generatedAt: new Date().toISOString(), requestId: randomUUID() })
  }
  if (req.method === 'GET' && url.pathname === '/search') {
    const results = search(url.searchParams.get('q') ?? '')
    return send(res, 200, { total: results.length, items: results.slice(0, 20).map((p) => ({ id: p.id, name: p.name, price: p.price })) })
  }
  if (req.method === 'POST' && url.pathname === '/orders') {
    let body = ''
    req.on('data', (chunk) => { body += chunk })
    req.on('end', () => {
      let order
      try { order = JSON.parse(body) } catch { return send(res, 400, { error: 'invalid JSON' }) }
      const id = nextOrder++
      const saved = { id, productId: Number(order.productId), qty: Number(order.qty ?? 1), price: order.price, createdAt: Date.now() }
      // v1 forgets orders once answered; v2 keeps every one in a cache that is never trimmed
      if (version === 2) orders.set(id, { ...saved, payload: body.repeat(60) })
      send(res, 201, saved)
    })
    return
  }
  send(res, 404, { error: 'not found' })
})

server.listen(port, '127.0.0.1', () => {
  console.log(`catalog v${version} listening on http://127.0.0.1:${port}`)
})
const stop = () => server.close(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
