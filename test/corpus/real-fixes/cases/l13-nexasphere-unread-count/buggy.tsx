// Ayushh-Sharmaa/NexaSphere issue #1127 (buggy twin): marking a notification read awaits the API
// and then sets the badge count from the count of the render that created the handler; rapid
// mark-as-read clicks each subtract from the same stale count.
import { useState } from 'react';

interface Notification {
  id: string;
  read: boolean;
}

export function NotificationBell({ initial }: { initial: Notification[] }) {
  const [notifications, setNotifications] = useState(initial);
  const [unreadCount, setUnreadCount] = useState(initial.filter((n) => !n.read).length);

  const markAsRead = async (id: string) => {
    await fetch(`/api/notifications/${id}/read`, { method: 'POST' });
    setNotifications(notifications.map((n) => (n.id === id ? { ...n, read: true } : n)));
//  ^ lost-update
    setUnreadCount(unreadCount - 1);
//  ^ lost-update
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
