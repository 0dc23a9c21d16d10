// Reproduces seeds/002 §Blocker #1 (socketClient.ts:182-201).
import { io, Socket } from 'socket.io-client';

export class SocketClient {
  private socket!: Socket;
  private currentUserId = '';

  startTravel(studentId: string) {
    this.socket.emit('startTravel', { studentId });
  }

  sendTrainerLocation(data: { studentId: string; latitude: number; longitude: number }) {
    // socketClient.ts:196
    this.socket.emit('trainerLocation', {
      trainerId: this.currentUserId,
      ...data,
      timestamp: new Date().toISOString(),
    });
  }

  subscribeToTrainerLocation(trainerId: string) {
    this.socket.emit('subscribeToTrainerLocation', { trainerId });
  }
}
