export type Status = 'open' | 'acknowledged' | 'resolved' | 'snoozed';
export type Action = 'ack' | 'resolve' | 'snooze';

const CHANGE: Record<Action, string> = { ack: 'acknowledged', resolve: 'resolved', snooze: 'snoozed' };

/**
 * The lifecycle: open → acknowledged → resolved, and snoozed (until a time) from open or acknowledged, or
 * again to move the time. Resolved is final: the same cause later opens a new notification. Returns the new
 * status and the change's name, or why the action is refused.
 */
export function transition(
  status: Status,
  action: Action,
): { to: Status; change: string } | { refused: string } {
  if (status === 'resolved') {
    return {
      refused:
        action === 'resolve'
          ? 'it is already resolved'
          : 'it is resolved; if the cause comes back, a new notification opens',
    };
  }
  if (action === 'ack' && status === 'acknowledged') return { refused: 'it is already acknowledged' };
  return { to: CHANGE[action] as Status, change: CHANGE[action] };
}
