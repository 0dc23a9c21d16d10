// WebSocket is now only for chat (seeds/000 §6): startTravel(), sendTrainerLocation(),
// stopTravel() and subscribeToTrainerLocation() were removed; use the HTTP journey API.
import { io, Socket } from 'socket.io-client';

export class SocketClient {
  private socket!: Socket;

  sendChat(sessionId: string, text: string) {
    this.socket.emit('chatMessage', { sessionId, text });
  }
}
