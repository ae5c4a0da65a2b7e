import { Port, serviceEnv, Url } from '@stockpulse/service-kit';
import type { Static } from 'typebox';

export const DashboardConfig = serviceEnv({
  DASHBOARD_PORT: Port(8080),
  /** Every request of the page goes here (the page talks only to the gateway, through this origin). */
  GATEWAY_URL: Url('http://127.0.0.1:3000'),
});
export type DashboardConfig = Static<typeof DashboardConfig>;
