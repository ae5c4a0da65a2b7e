/** Names and addresses on Pulsar, the same for every client. */

/** `persistent://<namespace>/<name>`: where a topic of ours lives. */
export const topicUrl = (namespace: string, name: string) => `persistent://${namespace}/${name}`;

/** The admin API's URL when none is configured: the broker's host on Pulsar's default web port (TLS: 8443). */
export const defaultAdminUrl = (serviceUrl: string): string => {
  const tls = serviceUrl.startsWith('pulsar+ssl:');
  const host = new URL(serviceUrl.replace(/^pulsar(\+ssl)?:/, 'http:')).hostname;
  return tls ? `https://${host}:8443` : `http://${host}:8080`;
};

/** Pulsar's WebSocket API is served on the admin API's port: `ws://host:port/ws/v2`. */
export const webSocketBase = (adminUrl: string) =>
  `${adminUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/ws/v2`;

/** `persistent://tenant/ns/topic` → `persistent/tenant/ns/topic` (each part escaped), as URL paths name a topic. */
export const topicPath = (url: string) =>
  url
    .replace('://', '/')
    .split('/')
    .map((part, i) => (i === 0 ? part : encodeURIComponent(part)))
    .join('/');
