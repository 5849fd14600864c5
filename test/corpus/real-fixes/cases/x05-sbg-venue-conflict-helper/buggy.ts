// ossdaiict/SBG-Website issue #16 (buggy twin): createBooking asks its performVenueConflictCheck()
// helper whether any booking overlaps the requested venues and times, then inserts the bookings
// with separate queries; two overlapping requests for the same venue both find no conflict and
// both insert.
import type { Request, Response } from 'express';
import { randomUUID } from 'crypto';
import { db } from './db.js';

const performVenueConflictCheck = async (venueIds: string[], startTime: string, endTime: string) => {
  if (!venueIds || venueIds.length === 0) return { conflict: false, message: '' };

  const query = `
    SELECT b.venue_id, v.name AS venue_name
    FROM bookings b
    LEFT JOIN venues v ON b.venue_id = v.id
    WHERE b.status != 'rejected'
      AND b.venue_id = ANY($1::uuid[])
      AND b.start_time < $2
      AND b.end_time > $3
  `;
  const { rows: conflicts } = await db.query(query, [venueIds, endTime, startTime]);

  if (conflicts.length > 0) {
    const names = [...new Set(conflicts.map((c: any) => c.venue_name || 'Unknown Venue'))];
    return { conflict: true, message: `Conflict: The following venues are already booked during this time: ${names.join(', ')}` };
  }
  return { conflict: false, message: '' };
};

export const createBooking = async (req: Request, res: Response) => {
  const { clubId, venueIds, timeSlots, bookingName } = req.body as {
    clubId: string;
    venueIds: string[];
    timeSlots: Array<{ startTime: string; endTime: string }>;
    bookingName: string;
  };

  try {
    const { rows: venues } = await db.query('SELECT id, category, name FROM venues WHERE id = ANY($1::uuid[])', [venueIds]);
    if (venues.length !== venueIds.length) {
      return res.status(404).json({ error: 'One or more venues not found' });
    }

    for (const slot of timeSlots) {
      const { conflict: venueConflict, message: venueMessage } = await performVenueConflictCheck(venueIds, slot.startTime, slot.endTime);
      if (venueConflict) {
        return res.status(409).json({ error: venueMessage });
      }
    }

    const createdBookings: any[] = [];
    const batchId = randomUUID();

    for (const slot of timeSlots) {
      for (const venue of venues) {
        const status = venue.category === 'auto_approval' ? 'approved' : 'pending';
        const { rows: insertRows } = await db.query(
//                                        ^ check-then-act
          `INSERT INTO bookings (club_id, venue_id, start_time, end_time, status, batch_id, booking_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING *`,
          [clubId, venue.id, slot.startTime, slot.endTime, status, batchId, bookingName.trim()],
        );
        if (insertRows.length === 0) {
          throw new Error(`Failed to insert booking for venue ${venue.name}`);
        }
        createdBookings.push(insertRows[0]);
      }
    }

    return res.status(201).json(createdBookings);
  } catch (error) {
    return res.status(500).json({ error: 'Failed to create booking' });
  }
};
