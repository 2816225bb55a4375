// Placeholder entry point; LocalNet is implemented under issue 4.
return 0;
