print("otelsw")
