// Reproduces seeds/001 §Blocker #1 (StudentTrainerLocationMap.tsx lines 69, 88-110).
import { useEffect, useState } from 'react';
import { socket } from '../services/socket';

export function StudentTrainerLocationMap({ trainerId }: { trainerId: string }) {
  const [trainerLocation, setTrainerLocation] = useState<unknown>(null);
  useEffect(() => {
    // Line 69: Subscribes via WebSocket
    socket.subscribeToTrainerLocation(trainerId);
    // Lines 88-110: Listens for WebSocket events
    socket.on(`location_${trainerId}`, (data: unknown) => {
      setTrainerLocation(data);
    });
  }, [trainerId]);
  return trainerLocation;
}
