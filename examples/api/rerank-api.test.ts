import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_QUERY, PASSAGES } from './passages';
import { startRerankServer, type RerankServer, type WireResult } from './test-rerank-server';

// Runs the example as a user would (tsx, ESM, the built @crossrank/core) against local servers that
// speak TEI's and Cohere's protocols, and checks the printed ranking is the servers' scores, ranked.
const EXAMPLES = join(__dirname, '..');
const KEY_VARS = ['COHERE_API_KEY', 'CO_API_KEY', 'JINA_API_KEY', 'VOYAGE_API_KEY', 'MXBAI_API_KEY', 'TEI_API_KEY', 'RERANK_API_KEY'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runExample(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of KEY_VARS) delete base[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join('api', 'rerank-api.ts'), ...args], { cwd: EXAMPLES, env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** What the example should print for a server's answer: best score first, ties by input position. */
function expectedLines(answered: readonly WireResult[]): string[] {
  return [...answered]
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ index, score }, rank) => `${rank + 1}. [${score.toFixed(4)}] #${index + 1} ${PASSAGES[index]}`);
}

const printedRanking = (stdout: string) => stdout.split('\n').filter((line) => /^\d+\. \[/.test(line));
const STACK_FRAME = /^\s+at .+[:(]\d+/m;

let server: RerankServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('ranks the passages by the scores a TEI server returns (--backend tei --base-url)', async () => {
  server = await startRerankServer('tei');
  const { code, stdout, stderr } = await runExample(['--backend', 'tei', '--base-url', server.baseUrl]);
  expect(stderr).toBe('');
  expect(code).toBe(0);

  expect(server.requests).toHaveLength(1);
  const [request] = server.requests;
  expect(request!.body).toMatchObject({ query: DEFAULT_QUERY, texts: PASSAGES, return_text: false });
  expect(request!.headers.authorization).toBeUndefined();

  const expected = expectedLines(request!.answered);
  expect(expected).toHaveLength(PASSAGES.length);
  // The server answers in input order, so a ranking equal to it would prove nothing.
  expect(expected).not.toEqual(expectedLines(request!.answered.map((r, i) => ({ ...r, score: -i }))));
  expect(printedRanking(stdout)).toEqual(expected);
  expect(stdout).toMatch(new RegExp(`^8 of 8 passages, ranked by TEI at ${server.baseUrl} in \\d+ ms:$`, 'm'));
});

it("speaks Cohere's v2 protocol to a --base-url server, with RERANK_API_KEY and never the hosted key", async () => {
  server = await startRerankServer('cohere');
  const query = 'How do I restart a container automatically when it crashes?';
  const { code, stdout, stderr } = await runExample(
    ['--base-url', server.baseUrl, '--model', 'BAAI/bge-reranker-v2-m3', '--top-n', '3', '--query', query],
    { RERANK_API_KEY: 'dummy-self-hosted-key', COHERE_API_KEY: 'hosted-key-must-stay-home' },
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);

  expect(server.requests).toHaveLength(1);
  const [request] = server.requests;
  expect(request!.body).toMatchObject({ model: 'BAAI/bge-reranker-v2-m3', query, documents: PASSAGES, top_n: 3 });
  expect(request!.headers.authorization).toBe('Bearer dummy-self-hosted-key');

  expect(request!.answered).toHaveLength(3);
  expect(printedRanking(stdout)).toEqual(expectedLines(request!.answered));
  expect(stdout).toContain(`Query: ${query}`);
  expect(stdout).toMatch(new RegExp(`^3 of 8 passages, ranked by Cohere BAAI/bge-reranker-v2-m3 at ${server.baseUrl} in \\d+ ms:$`, 'm'));
});

it.each([
  ['cohere', /set COHERE_API_KEY \(or CO_API_KEY\)/],
  ['mixedbread', /set MXBAI_API_KEY,/],
])('without a key for the hosted %s API, says which variable to set and exits 1', async (backend, variable) => {
  const { code, stdout, stderr } = await runExample(['--backend', backend]);
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toMatch(variable);
  expect(stderr).toMatch(/hosted API needs an API key/);
  expect(stderr).not.toMatch(STACK_FRAME);
});

it('reports a server that cannot be reached in one line, without a stack trace', async () => {
  server = await startRerankServer('tei');
  const closedUrl = server.baseUrl;
  await server.close();
  server = undefined;
  const { code, stderr } = await runExample(['--backend', 'tei', '--base-url', closedUrl]);
  expect(code).toBe(1);
  expect(stderr).toMatch(new RegExp(`^TEI rerank request to ${closedUrl}/rerank`));
  expect(stderr).not.toMatch(STACK_FRAME);
});
