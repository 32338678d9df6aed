import RecJudgeCLI
RecJudge.main()
