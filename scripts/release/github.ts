// The few GitHub REST calls the release makes: tag refs and releases of one repository. Built-in fetch
// only, because the publishing job installs no dependencies.

/** GitHub answered with an error; the message names the request, the status and GitHub's reason. */
export class GitHubError extends Error {}

export interface GitHub {
  /** The answer's body, or undefined for 404. */
  get<T>(path: string): Promise<T | undefined>;
  send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T>;
}

/** A proxy's HTML error page is not JSON: then there is no body to read. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Paths are relative to the repository, e.g. `git/ref/tags/v1`. */
export function gitHub(apiUrl: string, repository: string, token: string): GitHub {
  const base = `${apiUrl.replace(/\/+$/, '')}/repos/${repository}`;

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; data: unknown }> {
    const response = await fetch(`${base}/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'release-workflow',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const data = parseJson(await response.text());
    if (response.ok || (method === 'GET' && response.status === 404)) return { status: response.status, data };
    // GitHub's own message says why (e.g. "refusing to allow a GitHub App to create or update workflow …").
    const message = (data as { message?: unknown } | undefined)?.message;
    throw new GitHubError(
      `${method} ${path}: HTTP ${response.status}${typeof message === 'string' ? `, ${message}` : ''}`,
    );
  }

  return {
    async get<T>(path: string) {
      const { status, data } = await call('GET', path);
      return status === 404 ? undefined : (data as T);
    },
    async send<T>(method: 'POST' | 'PATCH', path: string, body: unknown) {
      return (await call(method, path, body)).data as T;
    },
  };
}
