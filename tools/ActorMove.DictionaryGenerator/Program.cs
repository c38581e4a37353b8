// Placeholder: the generator that writes src/ActorMove.Dicom's generated dictionary from ../shared/dicom/.
Console.Error.WriteLine("not written yet");
return 1;
