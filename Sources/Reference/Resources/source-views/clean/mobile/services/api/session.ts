// seeds/000 §4: the HTTP journey API the app uses instead of the socket.
import { api } from './client';

export const startJourney = (sessionId: string) => api.post(`/api/v1/admin/sessions/${sessionId}/start-journey`);
export const updateJourneyLocation = (input: { sessionId: string; latitude: number; longitude: number }) =>
  api.post('/api/v1/admin/location-tracking/journey/updates', input);
export const getJourneyLiveLocation = (sessionId: string) =>
  api.get(`/api/v1/admin/location-tracking/journey/live?sessionId=${sessionId}`);
