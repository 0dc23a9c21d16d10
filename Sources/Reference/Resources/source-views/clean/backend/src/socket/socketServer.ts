// The fixed server (seeds/000): Socket.IO carries chat only. Journey tracking moved to HTTP + Redis,
// so there is no socket.on('trainerLocation') and no activeTravelSessions map here any more.
import { Server, Socket } from 'socket.io';
import { logger } from '../logger';

export class SocketServer {
  constructor(private io: Server) {}

  register(socket: Socket) {
    socket.on('chatMessage', (message: { sessionId: string; text: string }) => {
      this.io.to(message.sessionId).emit('chatMessage', message);
    });
    logger.info("journey events such as 'trainerLocation' are served by the HTTP API, not socket.emit('trainerLocationUpdate')");
  }
}
