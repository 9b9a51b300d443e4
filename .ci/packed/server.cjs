// A local rerank server on 127.0.0.1 for the packed-package scenarios: Cohere's /v2/rerank and Jina's
// /v1/rerank wire formats, scoring by word overlap so the expected order is known. Any request with
// the Authorization header "Bearer bad" gets a 401 in the provider's error shape.
const http = require('node:http');

const words = (text) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);

function overlap(query, doc) {
  const q = words(query);
  const d = words(doc);
  let shared = 0;
  for (const w of q) if (d.has(w)) shared++;
  return q.size === 0 ? 0 : shared / q.size;
}

function startRerankServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ url: req.url, body });
      const send = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization === 'Bearer bad') return send(401, { message: 'invalid api token' });
      if (req.method !== 'POST' || (req.url !== '/v2/rerank' && req.url !== '/v1/rerank')) return send(404, { message: `no route ${req.url}` });
      const { query, documents, top_n: topN } = JSON.parse(body);
      const results = documents
        .map((doc, index) => ({ index, relevance_score: overlap(query, typeof doc === 'string' ? doc : doc.text) }))
        .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
        .slice(0, topN ?? documents.length);
      send(200, req.url === '/v2/rerank' ? { id: 'local', results, meta: { api_version: { version: '2' } } } : { model: 'local', results, usage: { total_tokens: 1 } });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ baseUrl: `http://127.0.0.1:${port}`, requests, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

module.exports = { startRerankServer, overlap };
