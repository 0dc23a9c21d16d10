// Reproduces seeds/003 §Issue #1 and #5: journey tracking over Socket.IO (the wrong way).
import { Server, Socket } from 'socket.io';

interface TravelSession { studentId: string; startedAt: Date; }

// In-memory journey state: lost on restart, invisible to every other instance.
const activeTravelSessions = new Map<string, TravelSession>();

export class SocketServer {
  constructor(private io: Server) {}

  register(socket: Socket & { trainerId: string }) {
    socket.on('startTravel', (data: { studentId: string }) => {
      activeTravelSessions.set(socket.trainerId, { studentId: data.studentId, startedAt: new Date() });
      // Line 135-138: Notify student via WebSocket
      this.io.to(`student_${data.studentId}`).emit('trainerTravelStarted', {
        trainerId: socket.trainerId,
        startTime: new Date().toISOString(),
      });
    });

    // Line 148-214: Trainer sends location via WebSocket
    socket.on('trainerLocation', async (data: { latitude: number; longitude: number }) => {
      const session = activeTravelSessions.get(socket.trainerId);
      if (!session) return;
      const locationData = { trainerId: socket.trainerId, ...data };
      this.io.to(`student_${session.studentId}`).emit('trainerLocationUpdate', locationData);
    });

    socket.on('stopTravel', () => {
      activeTravelSessions.delete(socket.trainerId);
    });

    socket.on('chatMessage', (message: { sessionId: string; text: string }) => {
      this.io.to(message.sessionId).emit('chatMessage', message);
    });
  }
}
