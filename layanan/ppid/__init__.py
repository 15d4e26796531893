"""ppid"""
