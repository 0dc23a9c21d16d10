// Mentions only: none of these may count.
// socket.on('trainerLocation', handler) was removed in the fix.
/* Old code:
   socket.sendTrainerLocation(point);
   const activeTravelSessions = new Map();
*/
const help = "do not call socket.startTravel(studentId) any more";
const note = 'socket.emit("trainerLocationUpdate") is gone';
const doc = `use the HTTP API, not socket.on('startTravel')`;
socket.on('chatMessage', (m) => relay(m));
socket.emit('chatMessage', { text: "trainerLocation" });
export const trainerLocationLabel = 'trainerLocation';
