import CFuzzDriver

sluice_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzProtobufDecoder)
