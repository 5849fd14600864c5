// prisma/orm issue #8612 workaround "UPDATE ... WHERE id = ? AND version = ?" (reduction, fixed)
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export class SeatTakenError extends Error {}

export async function claimSeat(seatId: number, userId: number) {
  const seat = await prisma.seat.findUniqueOrThrow({ where: { id: seatId } });
  if (seat.claimedById !== null) throw new SeatTakenError(`seat ${seatId} already claimed`);

  // Compare-and-set: the write only lands if the row is still at the version we read.
  const updated = await prisma.$executeRaw`
    UPDATE "Seat" SET "claimedById" = ${userId}, "version" = "version" + 1
    WHERE "id" = ${seatId} AND "version" = ${seat.version}`;
  if (updated === 0) throw new SeatTakenError(`seat ${seatId} was claimed concurrently`);
  return { ...seat, claimedById: userId, version: seat.version + 1 };
}

export async function bookMovie(movieName: string, userId: number) {
  const movie = await prisma.movie.findFirstOrThrow({ where: { name: movieName } });
  const free = await prisma.seat.findFirst({ where: { movieId: movie.id, claimedById: null } });
  if (!free) throw new SeatTakenError('sold out');
  return claimSeat(free.id, userId);
}
