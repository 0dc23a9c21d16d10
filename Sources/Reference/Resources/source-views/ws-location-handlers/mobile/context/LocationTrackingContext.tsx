// Reproduces seeds/002 §Blocker #1 (LocationTrackingContext.tsx:632-640).
import { socket } from '../services/socket';

export function onLocation(location: { coords: { latitude: number; longitude: number } }, studentId: string) {
  if (socket.isConnected()) {
    socket.sendTrainerLocation({
      studentId,
      latitude: location.coords.latitude,
      longitude: location.coords.longitude,
    });
  }
}
