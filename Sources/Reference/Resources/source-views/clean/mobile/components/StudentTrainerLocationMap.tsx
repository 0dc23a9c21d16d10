// seeds/001 §Blocker #1, fixed: HTTP polling every 5 s instead of `location_${trainerId}` socket events.
import { useEffect, useState } from 'react';
import { getJourneyLiveLocation } from '../services/api/session';

export function StudentTrainerLocationMap({ sessionId }: { sessionId: string }) {
  const [trainerLocation, setTrainerLocation] = useState<unknown>(null);
  useEffect(() => {
    const poll = setInterval(async () => {
      const result = await getJourneyLiveLocation(sessionId);
      if (result.location) setTrainerLocation(result.location);
      if (!result.isActive) clearInterval(poll);
    }, 5000);
    return () => clearInterval(poll);
  }, [sessionId]);
  return trainerLocation;
}
