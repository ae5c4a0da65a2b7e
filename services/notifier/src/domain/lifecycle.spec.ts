import { describe, expect, it } from '@jest/globals';
import { transition } from './lifecycle.js';

describe('notification lifecycle', () => {
  it('goes open → acknowledged → resolved, and snoozes from open or acknowledged', () => {
    expect(transition('open', 'ack')).toEqual({ to: 'acknowledged', change: 'acknowledged' });
    expect(transition('acknowledged', 'resolve')).toEqual({ to: 'resolved', change: 'resolved' });
    expect(transition('open', 'resolve')).toEqual({ to: 'resolved', change: 'resolved' });
    expect(transition('open', 'snooze')).toEqual({ to: 'snoozed', change: 'snoozed' });
    expect(transition('acknowledged', 'snooze')).toEqual({ to: 'snoozed', change: 'snoozed' });
    expect(transition('snoozed', 'snooze')).toEqual({ to: 'snoozed', change: 'snoozed' });
    expect(transition('snoozed', 'ack')).toEqual({ to: 'acknowledged', change: 'acknowledged' });
  });

  it('refuses what makes no sense, saying why', () => {
    expect(transition('resolved', 'resolve')).toEqual({ refused: 'it is already resolved' });
    expect(transition('resolved', 'ack')).toEqual({
      refused: 'it is resolved; if the cause comes back, a new notification opens',
    });
    expect(transition('acknowledged', 'ack')).toEqual({ refused: 'it is already acknowledged' });
  });
});
