"""lapor"""
