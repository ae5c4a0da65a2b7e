/**
 * The few calls of Pulsar's admin REST API (`/admin/v2`) the bus makes: namespaces and their policies, topics,
 * subscriptions, backlogs. Plain HTTP, so it works the same whichever client carries the messages. "Already
 * exists" (409) is success for every create: each is safe to repeat.
 */
import { topicPath, topicUrl } from './names.js';

export type Position = 'earliest' | 'latest';

export class PulsarAdminError extends Error {
  override readonly name = 'PulsarAdminError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Pulsar's MessageId.earliest and MessageId.latest, as the REST API takes them (ResetCursorData). */
const POSITIONS: Record<Position, { ledgerId: number | string; entryId: number | string }> = {
  earliest: { ledgerId: -1, entryId: -1 },
  latest: { ledgerId: '9223372036854775807', entryId: '9223372036854775807' },
};

export class PulsarAdmin {
  constructor(
    /** e.g. `http://127.0.0.1:8081` */
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/admin/v2${path}`, {
        method,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    } catch (err) {
      const reason = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new PulsarAdminError(
        `Pulsar admin API at ${this.baseUrl} unreachable (PULSAR_ADMIN_URL): ${reason}`,
        0,
      );
    }
    if (res.ok || res.status === 409 || (method === 'GET' && res.status === 404)) return res;
    const text = (await res.text()).slice(0, 300);
    throw new PulsarAdminError(
      `Pulsar admin API: ${method} ${path} answered ${res.status} ${text}`,
      res.status,
    );
  }

  private async json<T>(path: string, missing: T): Promise<T> {
    const res = await this.call('GET', path);
    return res.status === 404 ? missing : ((await res.json()) as T);
  }

  private topicPath(namespace: string, topic: string): string {
    return `/${topicPath(topicUrl(namespace, topic))}`;
  }

  /** Names (without `persistent://<namespace>/`) of the namespace's topics. */
  async topics(namespace: string): Promise<string[]> {
    const urls = await this.json<string[]>(`/persistent/${namespace}`, []);
    return urls.map((url) => url.slice(url.lastIndexOf('/') + 1));
  }

  subscriptions(namespace: string, topic: string): Promise<string[]> {
    return this.json<string[]>(`${this.topicPath(namespace, topic)}/subscriptions`, []);
  }

  /** Messages a subscription has not acknowledged; 0 when the topic or the subscription does not exist. */
  async backlog(namespace: string, topic: string, subscription: string): Promise<number> {
    type Stats = { subscriptions?: Record<string, { msgBacklog?: number }> };
    const stats = await this.json<Stats>(`${this.topicPath(namespace, topic)}/stats`, {});
    return stats.subscriptions?.[subscription]?.msgBacklog ?? 0;
  }

  /** Each subscription of a topic: its backlog and connected consumers ({} for a topic that does not exist). */
  async subscriptionStats(
    namespace: string,
    topic: string,
  ): Promise<Record<string, { msgBacklog?: number; consumers?: unknown[] }>> {
    type Stats = { subscriptions?: Record<string, { msgBacklog?: number; consumers?: unknown[] }> };
    return (await this.json<Stats>(`${this.topicPath(namespace, topic)}/stats`, {})).subscriptions ?? {};
  }

  /** The namespaces of a tenant (`tenant/namespace` each). */
  namespaces(tenant: string): Promise<string[]> {
    return this.json<string[]>(`/namespaces/${tenant}`, []);
  }

  async createNamespace(namespace: string): Promise<void> {
    await this.call('PUT', `/namespaces/${namespace}`);
  }

  /** Deletes a namespace with its topics (the broker must allow it: forceDeleteNamespaceAllowed). */
  async deleteNamespace(namespace: string): Promise<void> {
    await this.call('DELETE', `/namespaces/${namespace}?force=true`);
  }

  async createTopic(namespace: string, topic: string): Promise<void> {
    await this.call('PUT', this.topicPath(namespace, topic));
  }

  /** A partitioned topic of `partitions` partitions (`<topic>-partition-<i>`); one that exists keeps its own. */
  async createPartitionedTopic(namespace: string, topic: string, partitions: number): Promise<void> {
    await this.call('PUT', `${this.topicPath(namespace, topic)}/partitions`, partitions);
  }

  /** More partitions for a partitioned topic (Pulsar refuses fewer). */
  async updatePartitions(namespace: string, topic: string, partitions: number): Promise<void> {
    await this.call('POST', `${this.topicPath(namespace, topic)}/partitions`, partitions);
  }

  /**
   * A durable subscription starting at `position`; one that exists keeps its own. Two processes making the same
   * one at once can get 412 "Subscription Busy" for the second: it is asked again until it answers 409.
   */
  async createSubscription(namespace: string, topic: string, subscription: string, position: Position) {
    const path = `${this.topicPath(namespace, topic)}/subscription/${encodeURIComponent(subscription)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.call('PUT', path, POSITIONS[position]);
        return;
      } catch (err) {
        if (!(err instanceof PulsarAdminError && err.status === 412 && attempt < 10)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async setRetention(namespace: string, minutes: number, sizeMb: number): Promise<void> {
    const body = { retentionTimeInMinutes: minutes, retentionSizeInMB: sizeMb };
    await this.call('POST', `/namespaces/${namespace}/retention`, body);
  }

  /** A backlog quota that holds producers back when reached (nothing unconsumed is ever dropped). */
  async setBacklogQuota(namespace: string, limitBytes: number): Promise<void> {
    const body = { limitSize: limitBytes, policy: 'producer_request_hold' };
    await this.call(
      'POST',
      `/namespaces/${namespace}/backlogQuota?backlogQuotaType=destination_storage`,
      body,
    );
  }

  /**
   * The partition count of a topic (`persistent://…`): a lookup the broker answers from its metadata. A topic
   * or namespace that does not exist is an error (the Pulsar set-up has not run there).
   */
  async partitions(url: string): Promise<number> {
    const res = await this.call('GET', `/${topicPath(url)}/partitions`);
    const body = (await res.json()) as { partitions?: number; reason?: string };
    if (res.status === 404)
      throw new PulsarAdminError(`${url}: ${body.reason ?? 'not found'} (has the Pulsar set-up run?)`, 404);
    return body.partitions ?? 0;
  }

  /** A message round trip through the broker (its own health check). */
  async health(): Promise<void> {
    await this.call('GET', '/brokers/health');
  }
}
