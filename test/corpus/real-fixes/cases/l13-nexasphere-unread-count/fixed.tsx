// Ayushh-Sharmaa/NexaSphere PR #1217 "fix: prevent unread notification count from becoming
// negative" (reduction, fixed): functional state updates from the latest state, a notification
// already read or already pending is not counted twice, and the count never drops below zero.
import { useRef, useState } from 'react';

interface Notification {
  id: string;
  read: boolean;
}

export function NotificationBell({ initial }: { initial: Notification[] }) {
  const [notifications, setNotifications] = useState(initial);
  const [unreadCount, setUnreadCount] = useState(initial.filter((n) => !n.read).length);
  const pending = useRef(new Set<string>());

  const markAsRead = async (id: string) => {
    if (pending.current.has(id)) return;
    pending.current.add(id);
    try {
      await fetch(`/api/notifications/${id}/read`, { method: 'POST' });
      setNotifications((prev) => prev.map((n) => (n.id === id ? { ...n, read: true } : n)));
      setUnreadCount((count) => Math.max(0, count - 1));
    } finally {
      pending.current.delete(id);
    }
  };

  return (
    <ul>
      <li>{unreadCount}</li>
      {notifications.map((n) => (
        <li key={n.id} onClick={() => markAsRead(n.id)}>
          {n.id}
        </li>
      ))}
    </ul>
  );
}
