// Reproduces seeds/000 §8 "Before": the trainer home screen starts travel over the socket.
import { socket } from '../../services/socket';

export async function startVisit(session: { studentId: string }, trainer: { id: string }, trainerToken: string) {
  if (!socket.isConnected()) {
    await socket.connect(trainer.id, 'trainer', trainerToken);
  }
  socket.startTravel(session.studentId);
}
