// Real shapes in unusual spacing and quoting.
io.to(room)
  .emit(
    "trainerLocationUpdate", data);
socket .on ( "subscribeToTrainerLocation" , cb );
socket.once('destinationReached', done);
client.emit(`location_${trainerId}`, point);
const s = `multi
line template with socket.on('trainerLocation') inside`; socket.on('travelStarted', x);
