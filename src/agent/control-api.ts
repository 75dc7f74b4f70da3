// The agent's control socket API: one route per operation, JSON answers.

export interface ControlOps {
  status(): Promise<unknown>;
  failover(ids: readonly string[] | 'all'): Promise<{ router: string; result: string }[]>;
  nudge(id: string): boolean;
}

export async function handleControl(
  ops: ControlOps,
  method: string,
  url: URL,
): Promise<{ status: number; json: unknown }> {
  if (method === 'GET' && url.pathname === '/status') return { status: 200, json: await ops.status() };
  if (method === 'POST' && url.pathname === '/failover') {
    const ids = url.searchParams.get('all') === '1' ? 'all' : url.searchParams.getAll('router');
    return { status: 200, json: { results: await ops.failover(ids) } };
  }
  if (method === 'POST' && url.pathname === '/nudge') {
    const id = url.searchParams.get('router') ?? '';
    return ops.nudge(id)
      ? { status: 202, json: { queued: id } }
      : { status: 404, json: { error: 'unknown router' } };
  }
  return { status: 404, json: { error: 'not found' } };
}
